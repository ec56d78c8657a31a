import { mockServices } from '@backstage/backend-test-utils';
import { AccessChatDeliveryError } from '@jit-access/plugin-access-node';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { ChatStore } from '../database/chat/ChatStore';
import {
  eventually,
  eventuallyAsync,
  RecordingChannel,
  recordingChannelModule,
} from './__testUtils__/recordingChannel';

const PEOPLE = {
  dana: { annotations: { 'slack.com/user_id': 'UDANA' } },
  lee: { annotations: { 'slack.com/user_id': 'ULEE' } },
};
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

jest.setTimeout(60_000);

describe('chat: an admin sends a failed message again', () => {
  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('queues a failed delivery again, the outbox delivers it, and only once', async () => {
      const channel = new RecordingChannel();
      const auditor = mockServices.auditor.mock();
      const { as, stop } = await startAccessBackend({
        knex: await databases.init(databaseId),
        people: PEOPLE,
        config: { app: { baseUrl: 'http://portal.test' } },
        access: {
          ...TEST_ACCESS_CONFIG,
          chat: {
            retry: {
              maxAttempts: 2,
              initialDelay: 'PT0.05S',
              maxDelay: 'PT0.1S',
            },
          },
        },
        features: [recordingChannelModule(channel), auditor.factory],
      });
      channel.failures = [
        new AccessChatDeliveryError('user_not_found', { permanent: true }),
      ];
      const submitted = await as('dana').post('/requests', {
        items: [{ resourceRef: 'payments-db', permission: 'read' }],
        justification: 'Investigate failed payouts in INC-42',
        duration: 'PT1H',
      });
      expect(submitted.status).toBe(201);
      const requestId = submitted.body.requests[0].id;

      const failed = await eventuallyAsync(async () => {
        const res = await as('alex').get('/admin/chat/deliveries?state=failed');
        return res.body.items?.length === 1 && res.body;
      });
      expect(failed.channels).toEqual(['slack']);
      const id = failed.items[0].id;
      expect(failed.items[0]).toMatchObject({
        requestId,
        kind: 'approval',
        recipientRef: 'user:default/lee',
        state: 'failed',
        attempts: 1,
        lastError: 'user_not_found',
      });
      expect(channel.calls).toEqual([]);

      // Nobody but an admin, and nothing but an empty body.
      const denied = await as('dana').post(
        `/admin/chat/deliveries/${id}/retry`,
      );
      expect(denied.status).toBe(403);
      const withField = await as('alex').post(
        `/admin/chat/deliveries/${id}/retry`,
        { force: true },
      );
      expect(withField.status).toBe(400);
      expect(withField.body.error.message).toMatch(/^Invalid body: .*force/);
      const notAnId = await as('alex').post(
        '/admin/chat/deliveries/nope/retry',
      );
      expect(notAnId.status).toBe(400);
      expect(notAnId.body.error.message).toBe(
        'Invalid delivery id: not a chat delivery id',
      );
      const unknown = await as('alex').post(
        `/admin/chat/deliveries/${UNKNOWN_ID}/retry`,
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe(`No chat delivery ${UNKNOWN_ID}`);
      expect(
        (await as('alex').get('/admin/chat/deliveries?state=failed')).body
          .items,
      ).toHaveLength(1);

      const retried = await as('alex').post(
        `/admin/chat/deliveries/${id}/retry`,
      );
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({
        id,
        state: 'pending',
        attempts: 0,
        lastError: 'user_not_found',
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'chat-delivery-retry',
          severityLevel: 'medium',
          meta: { deliveryId: id },
        }),
      );

      // The delivery job sends it as a new one: the approver gets the message.
      const post = await eventually(() =>
        channel.calls.find(c => c.op === 'post'),
      );
      expect(post).toMatchObject({ to: 'ULEE', view: { requestId } });
      const sent = await eventuallyAsync(async () => {
        const res = await as('alex').get('/admin/chat/deliveries?state=sent');
        return res.body.items?.find((d: { id: string }) => d.id === id);
      });
      expect(sent).toMatchObject({ state: 'sent', attempts: 1 });
      expect(
        (await as('alex').get('/admin/chat/deliveries?state=failed')).body
          .items,
      ).toEqual([]);

      // Sent: not again.
      const again = await as('alex').post(`/admin/chat/deliveries/${id}/retry`);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(
        `Chat delivery ${id} is sent: only a failed delivery can be retried`,
      );
      expect(channel.calls.filter(c => c.op === 'post')).toHaveLength(1);
      await stop();
    });

    it('says chat is off, and refuses to retry a delivery of a channel no longer installed', async () => {
      const knex = await databases.init(databaseId);
      const { as, stop } = await startAccessBackend({ knex });
      // Left from when a Slack module was installed.
      const store = new ChatStore(knex);
      const now = new Date();
      await store.enqueue(
        [
          {
            dedupeKey: 'approval:left-over',
            channel: 'slack',
            kind: 'approval',
            requestId: UNKNOWN_ID,
            recipientRef: 'user:default/lee',
            stage: 0,
          },
        ],
        now,
      );
      const [queued] = (await store.page({ limit: 1 })).items;
      await store.settle(queued.id, { state: 'failed', error: 'boom' }, now);

      const list = await as('alex').get('/admin/chat/deliveries?state=failed');
      expect(list.status).toBe(200);
      expect(list.body).toEqual({
        items: [expect.objectContaining({ id: queued.id, state: 'failed' })],
        channels: [],
      });
      const retry = await as('alex').post(
        `/admin/chat/deliveries/${queued.id}/retry`,
      );
      expect(retry.status).toBe(409);
      expect(retry.body.error.message).toBe(
        `Chat delivery ${queued.id} cannot be retried: no 'slack' chat channel is installed`,
      );
      expect((await store.delivery(queued.id))?.state).toBe('failed');
      await stop();
    });
  });
});
