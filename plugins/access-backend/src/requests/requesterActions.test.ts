import { startAccessBackend } from '../__testUtils__/accessBackend';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };
const JUSTIFICATION = 'Investigate failed payouts in INC-42';

describe('requester actions', () => {
  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const start = async () =>
      startAccessBackend({ knex: await databases.init(databaseId) });

    it('revokes access not yet granted at once, by the requester of a delegated request too', async () => {
      const { as } = await start();
      const { body } = await as('lee').post('/requests', {
        items: [SANDBOX],
        granteeRef: 'dana',
      });
      const id = body.requests[0].id;

      expect((await as('sam').post(`/requests/${id}/revoke`)).status).toBe(404);
      const revoked = await as('lee').post(`/requests/${id}/revoke`, {
        reason: 'Done',
      });
      expect(revoked.status).toBe(200);
      // The grant was still queued, so nothing reached a target system: revoked at once.
      expect(revoked.body).toMatchObject({
        status: 'revoked',
        statusReason: 'Done',
        items: [{ status: 'cancelled' }],
      });
      const again = await as('dana').post(`/requests/${id}/revoke`);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(
        'Cannot revoke a request that is revoked',
      );
    });

    it('calls off a scheduled start, and lets an admin revoke anyone’s access', async () => {
      const { as } = await start();
      const startAt = new Date(Date.now() + 3600_000).toISOString();
      const { body } = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
        startAt,
      });
      const id = body.requests[0].id;
      const approved = await as('lee').post(`/requests/${id}/approve`);
      expect(approved.body).toMatchObject({ status: 'scheduled', startAt });

      const revoked = await as('alex').post(`/requests/${id}/revoke`);
      expect(revoked.body).toMatchObject({
        status: 'revoked',
        statusReason: 'Revoked by user:default/alex',
        items: [{ status: 'cancelled' }],
      });
    });

    it('requests a closed request again with a new justification, under the same flow', async () => {
      const { as } = await start();
      const { body } = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
        duration: 'PT4H',
      });
      const id = body.requests[0].id;

      const open = await as('dana').post(`/requests/${id}/request-again`, {
        justification: 'Again please, INC-43',
      });
      expect(open.status).toBe(409);
      expect(open.body.error.message).toBe(
        'Only a closed request can be requested again; this one is pending_approval',
      );

      await as('dana').post(`/requests/${id}/cancel`);
      expect(
        (await as('lee').post(`/requests/${id}/request-again`, {})).status,
      ).toBe(403);
      const tooShort = await as('dana').post(`/requests/${id}/request-again`, {
        justification: 'x',
      });
      expect(tooShort.status).toBe(400);

      const again = await as('dana').post(`/requests/${id}/request-again`, {
        justification: 'Follow-up on the payouts, INC-43',
      });
      expect(again.status).toBe(201);
      expect(again.body.requests[0]).toMatchObject({
        flowId: 'owner-approval',
        status: 'pending_approval',
        duration: 'PT4H',
        justification: 'Follow-up on the payouts, INC-43',
        items: [
          { resourceRef: 'resource:default/payments-db', permission: 'read' },
        ],
      });
      expect(again.body.requests[0].id).not.toBe(id);
    });

    it('saves favorites, lists and removes only one’s own, and requests from them', async () => {
      const { as } = await start();
      const { body } = await as('dana').post('/requests', { items: [SANDBOX] });
      const id = body.requests[0].id;

      const pending = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      const notYet = await as('dana').post('/favorites', {
        requestId: pending.body.requests[0].id,
      });
      expect(notYet.status).toBe(409);

      const saved = await as('dana').post('/favorites', {
        requestId: id,
        name: 'Sandbox hour',
      });
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({
        name: 'Sandbox hour',
        template: {
          items: [
            { resourceRef: 'resource:default/sandbox', permission: 'use' },
          ],
          flowId: 'self-service',
        },
      });
      const favoriteId = saved.body.id;

      expect(
        (await as('lee').post('/favorites', { requestId: id })).status,
      ).toBe(404);
      expect((await as('lee').get('/favorites')).body.items).toEqual([]);
      expect(
        (await as('dana').get('/favorites')).body.items.map((f: any) => f.id),
      ).toEqual([favoriteId]);

      const fromFavorite = await as('dana').post(
        `/favorites/${favoriteId}/request`,
        {},
      );
      expect(fromFavorite.status).toBe(201);
      expect(fromFavorite.body.requests[0]).toMatchObject({
        flowId: 'self-service',
        status: 'granting',
      });
      expect(
        (await as('lee').post(`/favorites/${favoriteId}/request`, {})).status,
      ).toBe(404);

      expect((await as('lee').delete(`/favorites/${favoriteId}`)).status).toBe(
        404,
      );
      expect((await as('dana').delete(`/favorites/${favoriteId}`)).status).toBe(
        204,
      );
      expect((await as('dana').get('/favorites')).body.items).toEqual([]);
    });

    it('finds requests by part of a resource, person, ticket or justification', async () => {
      const { as } = await start();
      const db = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: 'Investigate failed payouts in INC-42',
      });
      const sandbox = await as('lee').post('/requests', {
        items: [SANDBOX],
        granteeRef: 'dana',
      });
      const ids = (q: string) =>
        as('dana')
          .get(`/requests?q=${encodeURIComponent(q)}`)
          .then(res => res.body.items.map((r: any) => r.id));
      const dbId = db.body.requests[0].id;
      const sandboxId = sandbox.body.requests[0].id;
      expect(await ids('PAYMENTS-db')).toEqual([dbId]);
      expect(await ids('sandbox')).toEqual([sandboxId]);
      expect(await ids('user:default/lee')).toEqual([sandboxId]);
      expect(await ids('inc-42')).toEqual([dbId]);
      expect(await ids(dbId.slice(0, 8))).toEqual([dbId]);
      expect(await ids('100%_')).toEqual([]);
      expect(
        (await as('dana').get(`/requests?q=${'x'.repeat(201)}`)).status,
      ).toBe(400);
    });
  });
});
