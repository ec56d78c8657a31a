import request from 'supertest';
import {
  FakeSlack,
  payloadBody,
  slackSignature,
} from './__testUtils__/fakeSlack';
import {
  BOT_TOKEN,
  eventually,
  SIGNING_SECRET,
  startSlackBackend,
} from './__testUtils__/slackBackend';
import { createTestDatabases } from './__testUtils__/testDatabases';
import { NOT_LINKED } from './interactions';

jest.setTimeout(60_000);

const PORTS = [7101, 7102, 7103, 7104, 7105, 7106, 7107, 7108, 7109, 7110];
const JUSTIFICATION = 'Investigate failed payouts in INC-42';

const now = () => Math.floor(Date.now() / 1000);

/** Posts a body to the interactivity endpoint, signed as Slack signs it unless told otherwise. */
function interact(
  server: any,
  body: string,
  sign: { timestamp?: number; secret?: string; signedBody?: string } = {},
) {
  const timestamp = sign.timestamp ?? now();
  return request(server)
    .post('/api/access/chat/slack/interactions')
    .set('content-type', 'application/x-www-form-urlencoded')
    .set('x-slack-request-timestamp', String(timestamp))
    .set(
      'x-slack-signature',
      slackSignature(
        sign.secret ?? SIGNING_SECRET,
        timestamp,
        sign.signedBody ?? body,
      ),
    )
    .send(body);
}

/** What Slack sends when a button of the approval message is pressed. */
const click = (userId: string, requestId: string, action = 'access.approve') =>
  payloadBody({
    type: 'block_actions',
    user: { id: userId },
    trigger_id: `trigger-${userId}`,
    container: { type: 'message', channel_id: `D${userId.slice(1)}` },
    actions: [{ type: 'button', action_id: action, value: requestId }],
  });

/** Every button's action id in a message's blocks. */
const actionIds = (blocks: any[]) =>
  blocks
    .filter(b => b.type === 'actions')
    .flatMap(b => b.elements.map((e: any) => e.action_id));

describe('the Slack module, end to end against a local Slack Web API', () => {
  const databases = createTestDatabases();
  let fake: FakeSlack;
  let apiUrl: string;

  beforeEach(async () => {
    fake = new FakeSlack(BOT_TOKEN);
    fake.emails.set('UKIM', 'kim@example.com');
    apiUrl = await fake.start(PORTS);
  });
  afterEach(async () => fake.stop());

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const start = async (knex?: any) => {
      const db = knex ?? (await databases.init(databaseId));
      const granted: string[] = [];
      const backend = await startSlackBackend({ knex: db, apiUrl, granted });
      return { ...backend, knex: db, granted };
    };

    const submit = async (as: any) => {
      const res = await as('dana').post('/requests', {
        items: [
          { resourceRef: 'resource:default/payments-db', permission: 'read' },
        ],
        justification: JUSTIFICATION,
        duration: 'PT1H',
      });
      expect(res.status).toBe(201);
      return res.body.requests[0].id as string;
    };

    const approvalPosts = () =>
      fake
        .of('chat.postMessage')
        .filter(c => c.result?.ok)
        .filter(c => actionIds(c.args.blocks ?? []).includes('access.approve'));

    it('approves from Slack: the access is granted, every message updated, the requester told', async () => {
      const { as, server, granted, stop } = await start();
      const id = await submit(as);

      // Lee by the annotation, Kim by the e-mail of her Slack profile.
      const posts = await eventually(
        () => approvalPosts().length === 2 && approvalPosts(),
      );
      expect(posts.map(p => p.args.channel).sort()).toEqual(['UKIM', 'ULEE']);
      const lee = posts.find(p => p.args.channel === 'ULEE')!;
      expect(lee.token).toBe(BOT_TOKEN);
      expect(lee.args.text).toBe('Dana Diaz asks for Payments DB (read)');
      const buttons = lee.args.blocks.find(
        (b: any) => b.type === 'actions',
      ).elements;
      expect(buttons.slice(0, 2)).toEqual([
        expect.objectContaining({ action_id: 'access.approve', value: id }),
        expect.objectContaining({ action_id: 'access.reject', value: id }),
      ]);
      expect(JSON.stringify(lee.args.blocks)).toContain(JUSTIFICATION);
      expect(JSON.stringify(lee.args.blocks)).toContain(
        `http://portal.test/access/requests/${id}`,
      );

      const started = Date.now();
      const answer = await interact(server, click('ULEE', id));
      expect(answer.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(3000);

      await eventually(
        async () =>
          (await as('dana').get(`/requests/${id}`)).body.status === 'active',
      );
      expect(granted).toEqual(['user:default/dana read']);
      const details = (await as('lee').get(`/requests/${id}`)).body;
      expect(details.approvals).toEqual([
        expect.objectContaining({
          approverRef: 'user:default/lee',
          channel: 'slack',
          chatUserId: 'ULEE',
        }),
      ]);
      expect(
        details.audit.find((e: any) => e.action === 'approve'),
      ).toMatchObject({
        actorRef: 'user:default/lee',
        details: { channel: 'slack', chatUserId: 'ULEE' },
      });

      // Both messages lose their buttons and say who decided, where.
      const updates = await eventually(() => {
        const latest = ['DLEE', 'DKIM'].map(channel =>
          fake
            .of('chat.update')
            .filter(u => u.args.channel === channel)
            .at(-1),
        );
        return (
          latest.every(u => u && actionIds(u.args.blocks).length === 0) &&
          latest
        );
      });
      for (const update of updates) {
        expect(actionIds(update!.args.blocks)).toEqual([]);
        expect(update!.args.text).toContain('Approved by Lee Park in Slack');
      }
      expect(updates[0]!.args.ts).toBe(lee.result!.ts);
      const told = await eventually(() =>
        fake.of('chat.postMessage').find(p => p.args.channel === 'UDANA'),
      );
      expect(told.args.text).toBe(
        'Your access request for Payments DB (read) was approved and granted.',
      );

      // Kim, too late, is told who decided; nothing changes.
      expect((await interact(server, click('UKIM', id))).status).toBe(200);
      const late = await eventually(() =>
        fake.of('chat.postEphemeral').find(e => e.args.user === 'UKIM'),
      );
      expect(late.args.text).toContain('Approved by Lee Park in Slack');
      expect(
        (await as('lee').get(`/requests/${id}`)).body.approvals,
      ).toHaveLength(1);
      await stop();
    });

    it('refuses forged, replayed and altered calls, and people who may not decide', async () => {
      const { as, server, auditor, stop } = await start();
      const id = await submit(as);
      await eventually(() => approvalPosts().length === 2);
      const body = click('ULEE', id);

      const forged = await interact(server, body, { secret: 'not-the-secret' });
      expect(forged.status).toBe(401);
      const replayed = await interact(server, body, {
        timestamp: now() - 6 * 60,
      });
      expect(replayed.status).toBe(401);
      expect(replayed.body.error.message).toContain('stale');
      const altered = await interact(
        server,
        click('ULEE', id, 'access.reject'),
        {
          signedBody: body,
        },
      );
      expect(altered.status).toBe(401);
      const unsigned = await request(server)
        .post('/api/access/chat/slack/interactions')
        .type('form')
        .send(body);
      expect(unsigned.status).toBe(401);
      const refusedEvents = auditor.createEvent.mock.calls.filter(
        ([e]: any) => e.eventId === 'slack-interaction-refused',
      );
      expect(refusedEvents).toHaveLength(4);

      // Signed, but by people who may not decide: each is told, nothing changes.
      expect((await interact(server, click('UDANA', id))).status).toBe(200);
      expect((await interact(server, click('USAM', id))).status).toBe(200);
      expect((await interact(server, click('UNOBODY', id))).status).toBe(200);
      const told = await eventually(() => {
        const by = (user: string) =>
          fake.of('chat.postEphemeral').find(e => e.args.user === user)?.args
            .text;
        const texts = ['UDANA', 'USAM', 'UNOBODY'].map(by);
        return texts.every(Boolean) && texts;
      });
      expect(told[0]).toContain('You cannot decide on your own request');
      expect(told[1]).toMatch(/^Nothing changed/);
      expect(told[2]).toBe(NOT_LINKED);
      expect(fake.of('users.info').map(c => c.args.user)).toContain('UNOBODY');

      const after = (await as('lee').get(`/requests/${id}`)).body;
      expect(after).toMatchObject({
        status: 'pending_approval',
        approvals: [],
      });
      const events = auditor.createEvent.mock.calls.map(([e]: any) => e);
      expect(events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            eventId: 'request-decide',
            meta: expect.objectContaining({
              chatUserId: 'UDANA',
              channel: 'slack',
            }),
          }),
          expect.objectContaining({
            eventId: 'request-decide',
            meta: expect.objectContaining({
              chatUserId: 'USAM',
              channel: 'slack',
            }),
          }),
          expect.objectContaining({
            eventId: 'chat-user-unmatched',
            meta: { channel: 'slack', chatUserId: 'UNOBODY' },
          }),
        ]),
      );
      await stop();
    });

    it('asks for the reason the flow requires in a modal before rejecting', async () => {
      const { as, server, stop } = await start();
      const id = await submit(as);
      await eventually(() => approvalPosts().length === 2);

      expect(
        (await interact(server, click('ULEE', id, 'access.reject'))).status,
      ).toBe(200);
      const opened = await eventually(() => fake.of('views.open')[0]);
      expect(opened.args.trigger_id).toBe('trigger-ULEE');
      expect(opened.args.view.callback_id).toBe('access.reason');
      expect((await as('lee').get(`/requests/${id}`)).body.status).toBe(
        'pending_approval',
      );

      const submitted = payloadBody({
        type: 'view_submission',
        user: { id: 'ULEE' },
        view: {
          callback_id: 'access.reason',
          private_metadata: opened.args.view.private_metadata,
          state: {
            values: { reason: { reason: { value: 'Use the read replica' } } },
          },
        },
      });
      const answer = await interact(server, submitted);
      expect(answer.status).toBe(200);
      await eventually(
        async () =>
          (await as('dana').get(`/requests/${id}`)).body.status === 'rejected',
      );
      const update = await eventually(() =>
        fake.of('chat.update').find(u => u.args.channel === 'DLEE'),
      );
      expect(update.args.text).toContain(
        'Rejected by Lee Park in Slack: Use the read replica',
      );
      const told = await eventually(() =>
        fake.of('chat.postMessage').find(p => p.args.channel === 'UDANA'),
      );
      expect(JSON.stringify(told.args.blocks)).toContain(
        'Reason: Use the read replica',
      );
      await stop();
    });

    it('rides out a Slack outage (500, 429 with Retry-After) and finds its messages after a restart', async () => {
      fake.force(
        'chat.postMessage',
        { status: 429, retryAfter: 1 },
        { status: 500 },
      );
      const first = await start();
      const id = await submit(first.as);
      await eventually(() => approvalPosts().length === 2, 15_000);
      const attempts = fake.of('chat.postMessage');
      // The 429 paused the channel for its Retry-After before any other call.
      expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(950);
      const deliveries = (await first.as('dana').get('/admin/chat/deliveries'))
        .body.items;
      expect(deliveries.every((d: any) => d.state === 'sent')).toBe(true);
      // One failure each: the 429 for one message, the 500 for the other, then both sent.
      expect(deliveries.map((d: any) => d.attempts)).toEqual([2, 2]);
      await first.stop();

      const second = await start(first.knex);
      const lee = approvalPosts().find(p => p.args.channel === 'ULEE')!;
      expect((await interact(second.server, click('ULEE', id))).status).toBe(
        200,
      );
      const update = await eventually(() =>
        fake.of('chat.update').find(u => u.args.channel === 'DLEE'),
      );
      // The message posted before the restart, by the reference kept in the database.
      expect(update.args.ts).toBe(lee.result!.ts);
      await second.stop();
    });
  });

  describe('configuration', () => {
    it('stays off, saying so once, without access.chat.slack', async () => {
      const knex = await databases.init('SQLITE_3');
      const { logger, server, stop } = await startSlackBackend({
        knex,
        slack: {},
      });
      expect(logger.info).toHaveBeenCalledWith(
        'Slack chat is off: access.chat.slack has no botToken and signingSecret',
      );
      const res = await interact(
        server,
        payloadBody({ type: 'block_actions' }),
      );
      expect(res.status).not.toBe(200);
      await stop();
    });

    it('refuses to start with half a config, naming the missing key', async () => {
      const knex = await databases.init('SQLITE_3');
      await expect(
        startSlackBackend({ knex, slack: { slack: { botToken: BOT_TOKEN } } }),
      ).rejects.toThrow('access.chat.slack.signingSecret: Required');
    });
  });
});
