import { startAccessBackend } from '../../__testUtils__/accessBackend';
import { createAccessTestDatabases } from '../../__testUtils__/testDatabases';

describe('GET /suggestions', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'ranks what to request for a need, lifted by what the caller asked before (%p)',
    async databaseId => {
      const { as, stop } = await startAccessBackend({
        knex: await databases.init(databaseId),
      });
      const need = encodeURIComponent('read the payments database');
      const first = await as('dana').get(`/suggestions?q=${need}`);
      expect(first.status).toBe(200);
      expect(first.body.items[0]).toEqual({
        kind: 'resource',
        resourceRef: 'resource:default/payments-db',
        title: 'Payments DB',
        permission: 'read',
        flowId: 'owner-approval',
        flowTitle: 'Owner approval',
        duration: 'PT1H',
        requiresApproval: true,
        score: expect.any(Number),
        reasons: expect.arrayContaining(["title matches 'payments'"]),
      });
      expect(first.body.items.length).toBeLessThanOrEqual(5);

      // What dana's team (lee, also in payments) asked for counts for her.
      await as('lee').post('/requests', {
        items: [{ resourceRef: 'sandbox', permission: 'use' }],
      });
      const sandbox = await as('dana').get('/suggestions?q=sandbox&limit=1');
      expect(sandbox.body.items).toEqual([
        expect.objectContaining({
          resourceRef: 'resource:default/sandbox',
          requiresApproval: false,
          reasons: expect.arrayContaining([
            'people in your groups requested this once',
          ]),
        }),
      ]);
      await stop();
    },
  );

  it('refuses an empty need or one over 500 characters', async () => {
    const { as, stop } = await startAccessBackend();
    for (const q of ['', '%20', 'x'.repeat(501)]) {
      const res = await as('dana').get(`/suggestions?q=${q}`);
      expect(res.status).toBe(400);
    }
    expect((await as('dana').get('/suggestions')).status).toBe(400);
    expect((await as('dana').get('/suggestions?q=db&limit=21')).status).toBe(
      400,
    );
    await stop();
  });
});
