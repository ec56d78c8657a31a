import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startAccessBackend } from '../__testUtils__/accessBackend';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import {
  accessRequestConditions,
  createAccessRequestConditionalDecision,
} from './rules';
import { accessRequestReadPermission } from '@jit-access/plugin-access-common';

const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const JUSTIFICATION = 'Investigate failed payouts in INC-42';

describe('a permission policy on access.request.read', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'narrows lists, the inbox and single reads with its conditions, on %p',
    async databaseId => {
      // lee may read only what lee requested or what waits for a decision; alex is denied.
      const { as } = await startAccessBackend({
        knex: await databases.init(databaseId),
        readDecision: userRef => {
          if (userRef === 'user:default/lee') {
            return createAccessRequestConditionalDecision(
              accessRequestReadPermission,
              {
                anyOf: [
                  accessRequestConditions.isRequester({ claims: [userRef] }),
                  accessRequestConditions.hasStatus({
                    statuses: ['pending_approval'],
                  }),
                ],
              },
            );
          }
          if (userRef === 'user:default/alex') {
            return { result: AuthorizeResult.DENY };
          }
          return undefined;
        },
      });
      const pending = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      const decided = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      const pendingId = pending.body.requests[0].id;
      const decidedId = decided.body.requests[0].id;
      await as('lee').post(`/requests/${decidedId}/approve`);

      const approverView = await as('lee').get('/requests?view=approver');
      expect(approverView.body.items.map((r: any) => r.id)).toEqual([
        pendingId,
      ]);
      expect((await as('lee').get(`/requests/${pendingId}`)).status).toBe(200);
      expect((await as('lee').get(`/requests/${decidedId}`)).status).toBe(404);
      expect((await as('lee').get('/inbox?state=decided')).body.items).toEqual(
        [],
      );
      expect(
        (await as('lee').get('/inbox?state=pending')).body.items.map(
          (r: any) => r.id,
        ),
      ).toEqual([pendingId]);

      // Without conditions the built-in rule still holds: dana sees both of hers.
      expect(
        (await as('dana').get('/requests?view=mine')).body.items,
      ).toHaveLength(2);

      const denied = await as('alex').get('/requests?view=all');
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        'You lack the access.request.read permission',
      );
    },
  );
});
