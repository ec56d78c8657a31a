/**
 * The outbound side against the fake Bot Connector service: the SDK gets the bot's token from the
 * fake authority with the configured secret and calls the connector with it.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  AccessChatApprovalView,
  AccessChatDeliveryError,
} from '@jit-access/plugin-access-node';
import { MsalTokenProvider } from '@microsoft/agents-hosting';
import { createTeamsAdapter } from './adapter';
import { readTeamsChatConfig } from './config';
import { TeamsChannel } from './TeamsChannel';
import { ConfigReader } from '@backstage/config';
import {
  startTeamsFakes,
  TeamsFakes,
  TENANT_ID,
} from './__testUtils__/teamsFakes';

const VIEW: AccessChatApprovalView = {
  requestId: 'req-42',
  requester: { entityRef: 'user:default/dana', displayName: 'Dana Diaz' },
  items: [
    {
      resourceRef: 'resource:default/payments-db',
      resourceTitle: 'Payments DB',
      permission: 'read',
    },
  ],
  duration: 'PT8H',
  durationText: '8 hours',
  justification: 'Investigating INC-12',
  ticket: { type: 'jira', id: 'INC-12' },
  flow: { id: 'two-stage', title: 'Two stages' },
  stage: { number: 1, count: 2 },
  timesOutAt: '2026-12-06T10:00:00.000Z',
  link: 'https://portal.example.com/access/requests/req-42',
  reasonRequired: { approve: false, reject: true },
};

describe('TeamsChannel', () => {
  let fakes: TeamsFakes;
  const ctx = () => ({
    signal: new AbortController().signal,
    logger: mockServices.logger.mock(),
  });
  const channelWith = (overrides: { clientSecret?: string } = {}) => {
    const config = readTeamsChatConfig(
      new ConfigReader({
        access: { chat: { teams: { ...fakes.teamsConfig, ...overrides } } },
      }),
    )!;
    return new TeamsChannel(createTeamsAdapter(config), config);
  };

  beforeAll(async () => {
    fakes = await startTeamsFakes();
  });
  afterAll(async () => {
    await fakes?.close();
  });
  afterEach(() => {
    // Each test starts with no token in the SDK's process-wide cache.
    MsalTokenProvider.clearSharedCaches();
  });

  it('finds a person by their Microsoft Entra object id annotation', async () => {
    const channel = channelWith();
    const user = {
      entityRef: 'user:default/lee',
      displayName: 'Lee',
      annotations: {},
    };
    expect(await channel.addressOf(user)).toBeUndefined();
    expect(
      await channel.addressOf({
        ...user,
        annotations: { 'graph.microsoft.com/user-id': 'aad-lee' },
      }),
    ).toEqual({ userId: 'aad-lee', extra: { tenantId: TENANT_ID } });
  });

  it('posts the approval card in a new one-to-one chat and updates it in place', async () => {
    const channel = channelWith();
    const ref = await channel.postApproval({ userId: 'aad-lee' }, VIEW, ctx());

    const created = fakes.connector.conversations.at(-1)!;
    expect(created.body).toMatchObject({
      isGroup: false,
      members: [{ id: 'aad-lee' }],
      tenantId: TENANT_ID,
      channelData: { tenant: { id: TENANT_ID } },
    });
    const sent = fakes.connector.sent.at(-1)!;
    expect(ref).toEqual({
      conversationId: created.id,
      messageId: sent.activityId,
      extra: { serviceUrl: fakes.connector.url },
    });
    const card = sent.body.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const actions = card.content.actions;
    expect(actions.slice(0, 2)).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        verb: 'access.approve',
        data: { requestId: 'req-42' },
      }),
      expect.objectContaining({
        type: 'Action.Execute',
        verb: 'access.reject',
        data: { requestId: 'req-42' },
      }),
    ]);
    const text = JSON.stringify(card.content.body);
    for (const expected of [
      'Dana Diaz asks for access',
      'Payments DB (read)',
      '8 hours',
      'Investigating INC-12',
      'jira INC-12',
      'Two stages, stage 1 of 2',
      '2026-12-06 10:00 UTC',
      'Reason (required to reject)',
    ]) {
      expect(text).toContain(expected);
    }
    expect(actions[2]).toEqual({
      type: 'Action.OpenUrl',
      title: 'Open in the portal',
      url: VIEW.link,
    });

    await channel.updateApproval(
      ref,
      {
        ...VIEW,
        outcome: {
          kind: 'rejected',
          status: 'rejected',
          decidedBy: { entityRef: 'user:default/lee', displayName: 'Lee Park' },
          decidedVia: 'portal',
          decidedAt: '2026-12-05T12:00:00.000Z',
          reason: 'Not during the freeze',
          summary: 'Rejected by Lee Park in the portal: Not during the freeze',
        },
      },
      ctx(),
    );
    const updated = fakes.connector.updated.at(-1)!;
    expect(updated.conversationId).toBe(ref.conversationId);
    expect(updated.activityId).toBe(ref.messageId);
    const after = updated.body.attachments[0].content;
    expect(after.actions.map((a: any) => a.type)).toEqual(['Action.OpenUrl']);
    const afterText = JSON.stringify(after.body);
    expect(afterText).toContain('Rejected by Lee Park in the portal');
    expect(afterText).toContain('2026-12-05 12:00 UTC');
    expect(afterText).not.toContain('Input.Text');
  });

  it('tells a requester their access expires soon, with the extend button', async () => {
    const channel = channelWith();
    await channel.postRequesterUpdate(
      { userId: 'aad-dana' },
      {
        requestId: 'req-42',
        kind: 'expiring-soon',
        status: 'active',
        items: VIEW.items,
        summary: 'Your access to Payments DB (read) ends in 15 minutes.',
        expiresAt: '2026-12-05T13:00:00.000Z',
        link: VIEW.link,
        action: {
          kind: 'extend',
          label: 'Extend',
          url: 'https://portal.example.com/access/requests/req-42?extend=1',
        },
      },
      ctx(),
    );
    const card = fakes.connector.sent.at(-1)!.body.attachments[0].content;
    expect(card.actions[0]).toMatchObject({
      type: 'Action.OpenUrl',
      title: 'Extend',
      url: 'https://portal.example.com/access/requests/req-42?extend=1',
    });
    expect(JSON.stringify(card.body)).toContain('Access expiring soon');
  });

  it('passes on when Teams asks to wait, and when retrying cannot help', async () => {
    const channel = channelWith();
    fakes.connector.failNext(429, 1, 7);
    const waited = await channel
      .postApproval({ userId: 'aad-lee' }, VIEW, ctx())
      .catch(e => e);
    expect(waited).toBeInstanceOf(AccessChatDeliveryError);
    expect(waited).toMatchObject({ retryAfterMs: 7000, permanent: false });

    fakes.connector.failNext(403);
    const forbidden = await channel
      .postApproval({ userId: 'aad-lee' }, VIEW, ctx())
      .catch(e => e);
    expect(forbidden).toMatchObject({ permanent: true });

    fakes.connector.failNext(502);
    const outage = await channel
      .postApproval({ userId: 'aad-lee' }, VIEW, ctx())
      .catch(e => e);
    expect(outage).toBeInstanceOf(Error);
    expect(outage).not.toBeInstanceOf(AccessChatDeliveryError);
  });

  it('sends nothing when the authority refuses the bot secret', async () => {
    const channel = channelWith({ clientSecret: 'wrong' });
    const before = fakes.connector.conversations.length;
    const refusedBefore = fakes.authority.refused;
    await expect(
      channel.postApproval({ userId: 'aad-lee' }, VIEW, ctx()),
    ).rejects.toThrow();
    expect(fakes.authority.refused).toBeGreaterThan(refusedBefore);
    expect(fakes.connector.conversations.length).toBe(before);
  });

  it('stops when the call is aborted', async () => {
    const channel = channelWith();
    const controller = new AbortController();
    controller.abort();
    await expect(
      channel.postApproval({ userId: 'aad-lee' }, VIEW, {
        signal: controller.signal,
        logger: mockServices.logger.mock(),
      }),
    ).rejects.toThrow('aborted');
  });
});
