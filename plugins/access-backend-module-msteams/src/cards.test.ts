import { AccessChatApprovalView } from '@jit-access/plugin-access-node';
import { approvalCard, formatTime, requesterUpdateCard } from './cards';

const VIEW: AccessChatApprovalView = {
  requestId: 'req-7',
  requester: { entityRef: 'user:default/dana', displayName: 'Dana' },
  grantee: { entityRef: 'user:default/sam', displayName: 'Sam' },
  items: [
    {
      resourceRef: 'resource:default/a',
      resourceTitle: 'A',
      permission: 'read',
    },
    {
      resourceRef: 'resource:default/b',
      resourceTitle: 'B',
      permission: 'use',
    },
  ],
  flow: { id: 'f', title: 'Standard' },
  stage: { number: 1, count: 1 },
  link: 'https://portal/access/requests/req-7',
  reasonRequired: { approve: true, reject: true },
};

const find = (card: any, type: string) =>
  card.body.filter((e: any) => e.type === type);

describe('approvalCard', () => {
  it('asks for a reason the flow requires before any button is pressed', () => {
    const card = approvalCard(VIEW) as any;
    const [input] = find(card, 'Input.Text');
    expect(input).toMatchObject({
      id: 'reason',
      isRequired: true,
      label: 'Reason (required)',
    });
    expect(JSON.stringify(card.body)).toContain(
      'Dana asks for access for Sam.',
    );
    expect(JSON.stringify(card.body)).toContain('A (read), B (use)');
    // One stage: the flow alone, no "stage 1 of 1".
    expect(JSON.stringify(card.body)).not.toContain('stage 1 of 1');
  });

  it('makes the reason optional when neither decision needs one, and shows a notice', () => {
    const card = approvalCard(
      { ...VIEW, reasonRequired: { approve: false, reject: false } },
      { notice: 'Give a reason to reject.' },
    ) as any;
    expect(find(card, 'Input.Text')[0]).toMatchObject({
      isRequired: false,
      label: 'Reason (optional)',
    });
    expect(card.body.at(-1)).toMatchObject({
      text: 'Give a reason to reject.',
      color: 'Attention',
    });
  });

  it('shows how it ended without buttons or input once decided', () => {
    const card = approvalCard(
      {
        ...VIEW,
        outcome: {
          kind: 'stage-approved',
          status: 'pending',
          decidedBy: { entityRef: 'user:default/lee', displayName: 'Lee' },
          decidedVia: 'slack',
          decidedAt: '2026-12-05T09:30:00Z',
          summary: 'Stage 1 approved by Lee in Slack',
        },
      },
      { notice: 'Already decided.' },
    ) as any;
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in the portal', url: VIEW.link },
    ]);
    expect(find(card, 'Input.Text')).toEqual([]);
    const text = JSON.stringify(card.body);
    expect(text).toContain('Stage 1 approved by Lee in Slack');
    expect(text).toContain('in Slack');
    expect(text).toContain('2026-12-05 09:30 UTC');
    expect(text).toContain('Already decided.');
  });
});

describe('requesterUpdateCard', () => {
  it('offers to request again once expired, with the reason and who', () => {
    const card = requesterUpdateCard({
      requestId: 'req-7',
      kind: 'expired',
      status: 'expired',
      items: VIEW.items,
      summary: 'Your access has ended.',
      expiresAt: '2026-12-05T10:00:00Z',
      link: VIEW.link,
      action: {
        kind: 'request-again',
        label: 'Request again',
        url: 'https://portal/x',
      },
    }) as any;
    expect(card.actions.map((a: any) => a.title)).toEqual([
      'Request again',
      'Open in the portal',
    ]);
    expect(JSON.stringify(card.body)).toContain(
      '"title":"Ended","value":"2026-12-05 10:00 UTC"',
    );
  });

  it('says why a request was rejected', () => {
    const card = requesterUpdateCard({
      requestId: 'req-7',
      kind: 'rejected',
      status: 'rejected',
      items: VIEW.items,
      summary: 'Lee rejected your request.',
      reason: 'Not during the freeze',
      by: { entityRef: 'user:default/lee', displayName: 'Lee' },
      link: VIEW.link,
    }) as any;
    const text = JSON.stringify(card.body);
    expect(text).toContain('Access request rejected');
    expect(text).toContain('Not during the freeze');
    expect(card.actions).toHaveLength(1);
  });
});

describe('formatTime', () => {
  it('writes UTC to the minute, and leaves what is not a time alone', () => {
    expect(formatTime('2026-12-05T10:00:59.999Z')).toBe('2026-12-05 10:00 UTC');
    expect(formatTime('soon')).toBe('soon');
  });
});
