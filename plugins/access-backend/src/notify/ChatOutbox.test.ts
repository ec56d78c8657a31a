import { AccessRequest } from '@jit-access/plugin-access-common';
import { chatDeliveriesFor, requesterUpdateKind } from './ChatOutbox';

const request = (patch: Partial<AccessRequest>): AccessRequest =>
  ({
    id: 'r1',
    status: 'pending_approval',
    currentStage: 0,
    stageCount: 2,
    requesterRef: 'user:default/dana',
    granteeRef: 'user:default/dana',
    approvals: [],
    ...patch,
  } as AccessRequest);

const kinds = (deliveries: ReturnType<typeof chatDeliveriesFor>) =>
  deliveries.map(
    d =>
      `${d.kind} ${d.channel} ${d.recipientRef ?? d.messageRefId}${
        d.updateKind ? ` ${d.updateKind}` : ''
      }`,
  );

describe('chatDeliveriesFor', () => {
  const channels = ['slack', 'teams'];
  const messages = [
    { id: 'm-lee', channel: 'slack' },
    { id: 'm-kim', channel: 'teams' },
  ];

  it('asks every waiting approver on every channel when a request starts waiting', () => {
    expect(
      kinds(
        chatDeliveriesFor({
          request: request({}),
          waitingFor: ['user:default/lee', 'user:default/kim'],
          messages: [],
          channels,
        }),
      ),
    ).toEqual([
      'approval slack user:default/lee',
      'approval slack user:default/kim',
      'approval teams user:default/lee',
      'approval teams user:default/kim',
    ]);
  });

  it('asks the next stage and rewrites the messages of the one before when a stage is approved', () => {
    const deliveries = chatDeliveriesFor({
      request: request({
        currentStage: 1,
        approvals: [
          {
            stage: 0,
            approverRef: 'user:default/lee',
            decision: 'approve',
            decidedAt: '',
          },
        ],
      }),
      before: { status: 'pending_approval', stage: 0 },
      waitingFor: ['user:default/riley'],
      messages: [messages[0]],
      channels: ['slack'],
    });
    expect(kinds(deliveries)).toEqual([
      'approval slack user:default/riley',
      'approval-update slack m-lee',
    ]);
    expect(deliveries[0].dedupeKey).toBe(
      'approval:r1:1:user:default/riley:slack',
    );
  });

  it.each([
    ['rejected', 'rejected'],
    ['failed', 'failed'],
    ['cancelled', undefined],
  ] as const)(
    'rewrites every message once a decision (or a timeout) ends the wait: %s',
    (status, told) => {
      const deliveries = chatDeliveriesFor({
        request: request({ status }),
        before: { status: 'pending_approval', stage: 0 },
        waitingFor: [],
        messages,
        channels,
      });
      expect(kinds(deliveries)).toEqual([
        'approval-update slack m-lee',
        'approval-update teams m-kim',
        ...(told
          ? [
              `requester-update slack user:default/dana ${told}`,
              `requester-update teams user:default/dana ${told}`,
            ]
          : []),
      ]);
    },
  );

  it('keys an update by the state it shows, so the same state is sent once and a new one again', () => {
    const at = (approvals: number) =>
      chatDeliveriesFor({
        request: request({ approvals: Array(approvals).fill({ stage: 0 }) }),
        before: { status: 'pending_approval', stage: 0 },
        waitingFor: ['user:default/lee'],
        messages: [messages[0]],
        channels: ['slack'],
      }).map(d => d.dedupeKey);
    expect(at(1)).toEqual(at(1));
    expect(at(1)).not.toEqual(at(2));
  });

  it('tells the requester and a different grantee, once each', () => {
    const deliveries = chatDeliveriesFor({
      request: request({ status: 'active', granteeRef: 'user:default/sam' }),
      before: { status: 'granting', stage: 0 },
      waitingFor: [],
      messages: [],
      channels: ['slack'],
    });
    expect(kinds(deliveries)).toEqual([
      'requester-update slack user:default/dana approved',
      'requester-update slack user:default/sam approved',
    ]);
  });
});

describe('requesterUpdateKind', () => {
  it.each([
    ['active', 'approved'],
    ['rejected', 'rejected'],
    ['failed', 'failed'],
    ['expired', 'expired'],
    ['revoked', 'revoked'],
    ['granting', undefined],
    ['scheduled', undefined],
    ['revoking', undefined],
    ['pending_approval', undefined],
  ] as const)('%s: %s', (status, kind) => {
    expect(requesterUpdateKind(status)).toBe(kind);
  });
});
