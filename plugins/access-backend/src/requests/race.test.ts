import { startAccessBackend } from '../__testUtils__/accessBackend';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

const APPROVERS = Array.from({ length: 50 }, (_, i) => `approver-${i}`);

describe('concurrent decisions', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'let exactly one of 50 concurrent approvers complete the stage, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { as } = await startAccessBackend({
        knex,
        memberships: {
          dana: ['payments'],
          ...Object.fromEntries(APPROVERS.map(a => [a, ['reviewers']])),
        },
        access: {
          // Decisions only: provisioning would race the assertions on the status.
          engine: { enabled: false },
          resources: [
            {
              ref: 'payments-db',
              title: 'Payments DB',
              type: 'database',
              integration: 'manual',
              permissions: ['read'],
              owners: ['payments'],
            },
          ],
          flows: [
            {
              id: 'reviewed',
              title: 'Any reviewer',
              resources: { types: ['database'] },
              durations: ['PT1H'],
              approval: { stages: [{ approvers: ['group:reviewers'] }] },
            },
          ],
        },
      });
      const submitted = await as('dana').post('/requests', {
        items: [{ resourceRef: 'payments-db', permission: 'read' }],
      });
      expect(submitted.status).toBe(201);
      const id = submitted.body.requests[0].id;

      const answers = await Promise.all(
        APPROVERS.map(approver => as(approver).post(`/requests/${id}/approve`)),
      );

      const winners = answers.filter(a => a.status === 200);
      const losers = answers.filter(a => a.status === 409);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(49);
      const winner = winners[0].body.approvals[0].approverRef;
      for (const loser of losers) {
        expect(loser.body.error.message).toBe(
          `The request is granting; decided by ${winner} (approve)`,
        );
      }
      const [{ n }] = await knex('access_approvals').count({ n: '*' });
      expect(Number(n)).toBe(1);
      const [{ n: events }] = await knex('access_audit_events')
        .where({ request_id: id })
        .count({ n: '*' });
      expect(Number(events)).toBe(2); // submit, approve
    },
    60_000,
  );
});
