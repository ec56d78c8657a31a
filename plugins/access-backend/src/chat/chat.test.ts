import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AccessChatDeliveryError } from '@jit-access/plugin-access-node';
import { Knex } from 'knex';
import request from 'supertest';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import {
  eventually,
  eventuallyAsync,
  RecordingChannel,
  recordingChannelModule,
} from './__testUtils__/recordingChannel';

const DB_READ = {
  resourceRef: 'resource:default/payments-db',
  permission: 'read',
};
const JUSTIFICATION = 'Investigate failed payouts in INC-42';

const PEOPLE = {
  dana: {
    title: 'Dana Diaz',
    annotations: { 'slack.com/user_id': 'UDANA' },
  },
  lee: { title: 'Lee Park', annotations: { 'slack.com/user_id': 'ULEE' } },
  riley: { annotations: { 'slack.com/bot-notify': 'URILEY' } },
  pat: { profile: { email: 'pat@example.com' } },
};

jest.setTimeout(60_000);

describe('chat: the outbox, the messages, decisions from a channel', () => {
  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const start = async (
      options: { knex?: Knex; retry?: object; features?: any[] } = {},
    ) => {
      const channel = new RecordingChannel();
      const auditor = mockServices.auditor.mock();
      const knex = options.knex ?? (await databases.init(databaseId));
      const backend = await startAccessBackend({
        knex,
        people: PEOPLE,
        config: { app: { baseUrl: 'http://portal.test' } },
        access: {
          ...TEST_ACCESS_CONFIG,
          chat: {
            retry: options.retry ?? {
              maxAttempts: 4,
              initialDelay: 'PT0.05S',
              maxDelay: 'PT0.2S',
            },
          },
        },
        features: [
          recordingChannelModule(channel),
          auditor.factory,
          ...(options.features ?? []),
        ],
      });
      return { ...backend, channel, knex, auditor };
    };

    const submit = async (as: any) => {
      const res = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
        duration: 'PT1H',
      });
      expect(res.status).toBe(201);
      return res.body.requests[0].id as string;
    };

    it('asks the approver in chat, decides from the channel as the portal would, and updates the message', async () => {
      const { as, channel, stop } = await start();
      const id = await submit(as);

      const post = await eventually(() =>
        channel.calls.find(c => c.op === 'post'),
      );
      expect(post).toMatchObject({
        to: 'ULEE',
        view: {
          requestId: id,
          requester: {
            entityRef: 'user:default/dana',
            displayName: 'Dana Diaz',
          },
          items: [
            {
              resourceRef: 'resource:default/payments-db',
              resourceTitle: 'Payments DB',
              permission: 'read',
            },
          ],
          duration: 'PT1H',
          durationText: '1 hour',
          justification: JUSTIFICATION,
          flow: { id: 'owner-approval', title: 'Owner approval' },
          stage: { number: 1, count: 1 },
          link: `http://portal.test/access/requests/${id}`,
          reasonRequired: { approve: false, reject: true },
        },
      });
      expect(post.op === 'post' && post.view.outcome).toBeUndefined();
      expect(post.op === 'post' && post.view.timesOutAt).toBeDefined();

      const context = channel.context!;
      const lee = await context.resolveChatUser({
        channel: 'slack',
        chatUserId: 'ULEE',
      });
      expect(lee?.entityRef).toBe('user:default/lee');
      const result = await context.decide(id, 'approve', undefined, {
        channel: 'slack',
        chatUserId: 'ULEE',
        deciderRef: lee!.entityRef,
      });
      expect(result).toMatchObject({
        ok: true,
        view: {
          outcome: {
            kind: 'approved',
            decidedBy: {
              entityRef: 'user:default/lee',
              displayName: 'Lee Park',
            },
            decidedVia: 'slack',
          },
        },
      });

      const update = await eventually(() =>
        channel.calls.find(c => c.op === 'update'),
      );
      expect(update).toMatchObject({
        message: {
          conversationId: 'D-ULEE',
          messageId: '1',
          extra: { to: 'ULEE' },
        },
        view: {
          outcome: {
            kind: 'approved',
            summary: 'Approved by Lee Park in Slack',
          },
        },
      });

      // The audit trail names the channel and the chat user beside the catalog user.
      const details = await as('lee').get(`/requests/${id}`);
      expect(details.body.status).toBe('granting');
      expect(details.body.approvals).toEqual([
        expect.objectContaining({
          approverRef: 'user:default/lee',
          decision: 'approve',
          channel: 'slack',
          chatUserId: 'ULEE',
        }),
      ]);
      expect(details.body.audit.at(-1)).toMatchObject({
        actorRef: 'user:default/lee',
        action: 'approve',
        details: { channel: 'slack', chatUserId: 'ULEE' },
      });
      await stop();
    });

    it('goes through two stages in chat: the next stage is asked once the first is approved', async () => {
      const { as, channel, stop } = await start();
      const res = await as('dana').post('/requests', {
        items: [
          { resourceRef: 'resource:default/admin-console', permission: 'user' },
        ],
        duration: 'PT30M',
      });
      expect(res.status).toBe(201);
      const id = res.body.requests[0].id;
      await eventually(() => channel.calls.find(c => c.op === 'post'));
      const by = (name: string, chatUserId: string) => ({
        channel: 'slack' as const,
        chatUserId,
        deciderRef: `user:default/${name}`,
      });
      const first = await channel.context!.decide(
        id,
        'approve',
        undefined,
        by('lee', 'ULEE'),
      );
      expect(first).toMatchObject({
        ok: true,
        view: {
          stage: { number: 1, count: 2 },
          outcome: { kind: 'stage-approved' },
        },
      });
      // Riley (by the slack.com/bot-notify annotation) is asked for stage 2; Pat has no Slack id.
      const second = await eventually(() =>
        channel.calls.find(c => c.op === 'post' && c.to === 'URILEY'),
      );
      expect(second).toMatchObject({
        view: { stage: { number: 2, count: 2 } },
      });
      const leeUpdate = await eventually(() =>
        channel.calls.find(
          c => c.op === 'update' && c.message.conversationId === 'D-ULEE',
        ),
      );
      expect(leeUpdate).toMatchObject({
        view: {
          outcome: {
            kind: 'stage-approved',
            summary: 'Stage approved by Lee Park in Slack',
          },
        },
      });
      // Lee may not decide stage 2 too.
      expect(
        await channel.context!.decide(
          id,
          'approve',
          undefined,
          by('lee', 'ULEE'),
        ),
      ).toMatchObject({ ok: false, error: 'not-allowed' });
      const done = await channel.context!.decide(
        id,
        'approve',
        undefined,
        by('riley', 'URILEY'),
      );
      expect(done).toMatchObject({
        ok: true,
        view: { outcome: { kind: 'approved' } },
      });
      await stop();
    });

    it('refuses what the portal refuses, changes nothing, and says who decided first', async () => {
      const { as, channel, auditor, stop } = await start();
      const id = await submit(as);
      const context = channel.context!;
      const by = (name: string, chatUserId: string) => ({
        channel: 'slack' as const,
        chatUserId,
        deciderRef: `user:default/${name}`,
      });

      const own = await context.decide(
        id,
        'approve',
        undefined,
        by('dana', 'UDANA'),
      );
      expect(own).toMatchObject({ ok: false, error: 'not-allowed' });
      const stranger = await context.decide(
        id,
        'approve',
        undefined,
        by('sam', 'USAM'),
      );
      expect(stranger.ok).toBe(false);
      const noReason = await context.decide(
        id,
        'reject',
        ' ',
        by('lee', 'ULEE'),
      );
      expect(noReason).toMatchObject({ ok: false, error: 'reason-required' });
      expect(await context.reasonRequired(id, 'reject')).toBe(true);
      expect(await context.reasonRequired(id, 'approve')).toBe(false);
      expect((await as('lee').get(`/requests/${id}`)).body).toMatchObject({
        status: 'pending_approval',
        approvals: [],
      });

      const rejected = await context.decide(
        id,
        'reject',
        'Not during the freeze',
        by('lee', 'ULEE'),
      );
      expect(rejected).toMatchObject({
        ok: true,
        view: {
          outcome: { kind: 'rejected', reason: 'Not during the freeze' },
        },
      });
      const again = await context.decide(
        id,
        'approve',
        undefined,
        by('lee', 'ULEE'),
      );
      expect(again).toMatchObject({
        ok: false,
        error: 'already-decided',
        view: {
          outcome: { kind: 'rejected', decidedBy: { displayName: 'Lee Park' } },
        },
      });
      expect(again.ok === false && again.message).toContain(
        'user:default/lee (reject)',
      );

      // A chat user nobody in the catalog matches is no one, and that is audited.
      expect(
        await context.resolveChatUser({
          channel: 'slack',
          chatUserId: 'UNKNOWN',
          email: async () => 'nobody@example.com',
        }),
      ).toBeUndefined();
      // By the other Slack annotation, and by e-mail.
      expect(
        (
          await context.resolveChatUser({
            channel: 'slack',
            chatUserId: 'URILEY',
          })
        )?.entityRef,
      ).toBe('user:default/riley');
      expect(
        (
          await context.resolveChatUser({
            channel: 'slack',
            chatUserId: 'UPAT',
            email: 'pat@example.com',
          })
        )?.entityRef,
      ).toBe('user:default/pat');

      const events = auditor.createEvent.mock.calls.map(([e]: any) => e);
      expect(events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            eventId: 'request-decide',
            meta: expect.objectContaining({
              channel: 'slack',
              chatUserId: 'UDANA',
              requestId: id,
            }),
          }),
          expect.objectContaining({
            eventId: 'chat-user-unmatched',
            meta: { channel: 'slack', chatUserId: 'UNKNOWN' },
          }),
        ]),
      );
      // The requester hears of the rejection in chat, with its reason.
      const told = await eventually(() =>
        channel.calls.find(c => c.op === 'requester'),
      );
      expect(told).toMatchObject({
        to: 'UDANA',
        update: {
          kind: 'rejected',
          reason: 'Not during the freeze',
          by: { displayName: 'Lee Park' },
        },
      });
      await stop();
    });

    it('updates the chat message after a decision in the portal, after a restart too', async () => {
      const first = await start();
      const id = await submit(first.as);
      await eventually(() => first.channel.calls.find(c => c.op === 'post'));
      await first.stop();

      const second = await start({ knex: first.knex });
      const res = await second.as('lee').post(`/requests/${id}/reject`, {
        reason: 'Use the replica',
      });
      expect(res.status).toBe(200);
      const update = await eventually(() =>
        second.channel.calls.find(c => c.op === 'update'),
      );
      expect(update).toMatchObject({
        message: { conversationId: 'D-ULEE', messageId: '1' },
        view: {
          outcome: {
            kind: 'rejected',
            decidedVia: 'portal',
            summary: 'Rejected by Lee Park in the portal: Use the replica',
          },
        },
      });
      await second.stop();
    });

    it('retries a chat outage with backoff and Retry-After, and loses nothing', async () => {
      const { as, channel, stop } = await start();
      channel.failures = [
        new AccessChatDeliveryError('ratelimited', { retryAfterMs: 400 }),
        new Error('HTTP 500'),
      ];
      const id = await submit(as);
      await eventually(() => channel.calls.find(c => c.op === 'post'));
      const [first, second, third] = channel.attempts;
      expect(second - first).toBeGreaterThanOrEqual(390);
      expect(third).toBeGreaterThan(second);

      // Settled right after the call: look until the row says so.
      const list = await eventuallyAsync(async () => {
        const res = await as('alex').get('/admin/chat/deliveries');
        return res.body.items?.[0]?.state === 'sent' && res;
      });
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({
          requestId: id,
          channel: 'slack',
          kind: 'approval',
          recipientRef: 'user:default/lee',
          state: 'sent',
          attempts: 3,
          lastError: 'HTTP 500',
        }),
      ]);
      await stop();
    });

    it('shows failed deliveries to admins only', async () => {
      const { as, channel, stop } = await start();
      channel.failures = [
        new AccessChatDeliveryError('user_not_found', { permanent: true }),
      ];
      const id = await submit(as);
      let body: any;
      await eventually(() => channel.attempts.length === 1);
      for (let i = 0; i < 50; i++) {
        body = (await as('alex').get('/admin/chat/deliveries?state=failed'))
          .body;
        if (body.items?.length) break;
        await new Promise(r => setTimeout(r, 20));
      }
      expect(body.items).toEqual([
        expect.objectContaining({
          requestId: id,
          state: 'failed',
          attempts: 1,
          lastError: 'user_not_found',
        }),
      ]);
      expect((await as('dana').get('/admin/chat/deliveries')).status).toBe(403);
      const bad = await as('alex').get('/admin/chat/deliveries?state=lost');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain(
        'state must be pending, sent, skipped or failed',
      );
      await stop();
    });

    it('serves a chat module’s public route with its raw body, and nothing else without a token', async () => {
      const { server, stop } = await start();
      // Mock credentials of nobody: the test backend's stand-in for a request without a token.
      const none = mockCredentials.none.header();
      const echo = await request(server)
        .post('/api/access/chat/slack/echo')
        .set('authorization', none)
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('payload=%7B%22a%22%3A1%7D');
      expect(echo.status).toBe(200);
      expect(echo.body).toEqual({
        raw: 'payload=%7B%22a%22%3A1%7D',
        connected: true,
      });
      expect(
        (
          await request(server)
            .get('/api/access/requests')
            .set('authorization', none)
        ).status,
      ).toBe(401);
      expect(
        (
          await request(server)
            .post('/api/access/chat/slack/other')
            .set('authorization', none)
            .send({})
        ).status,
      ).toBe(401);
      await stop();
    });
  });
});
