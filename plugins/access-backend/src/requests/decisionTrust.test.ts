import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  MEMBERSHIPS,
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import {
  provisionersModule,
  recordingProvisioner,
  until,
} from '../__testUtils__/engineFixtures';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const CONSOLE_USER = { resourceRef: 'admin-console', permission: 'user' };
const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const JUSTIFICATION = 'Investigate failed payouts in INC-42';
const HOUR = 3600_000;

/** lee leads the team and is in security too: an approver of both stages of `two-stage`. */
const LEE_IN_BOTH = {
  ...MEMBERSHIPS,
  lee: ['payments', 'team-leads', 'security'],
};

function withFlow(id: string, change: (flow: any) => object) {
  return {
    ...TEST_ACCESS_CONFIG,
    flows: TEST_ACCESS_CONFIG.flows.map(flow =>
      flow.id === id ? change(flow) : flow,
    ),
  };
}

describe('who may decide', () => {
  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const start = async (options: Parameters<typeof startAccessBackend>[0]) =>
      startAccessBackend({
        knex: await databases.init(databaseId),
        ...options,
      });

    describe('separation of duties across stages', () => {
      it('lets a person decide at most one stage of a request', async () => {
        const { as } = await start({ memberships: LEE_IN_BOTH });
        const submitted = await as('dana').post('/requests', {
          items: [CONSOLE_USER],
        });
        expect(submitted.status).toBe(201);
        const id = submitted.body.requests[0].id;

        expect((await as('lee').post(`/requests/${id}/approve`)).status).toBe(
          200,
        );
        const again = await as('lee').post(`/requests/${id}/approve`);
        expect(again.status).toBe(403);
        expect(again.body.error.message).toBe(
          "You decided stage 1 of this request; flow 'two-stage' needs a different person for each stage",
        );
        const rejectToo = await as('lee').post(`/requests/${id}/reject`);
        expect(rejectToo.status).toBe(403);
        expect((await as('dana').get(`/requests/${id}`)).body).toMatchObject({
          status: 'pending_approval',
          currentStage: 1,
        });
        // lee's inbox no longer offers it; riley, another security approver, decides.
        expect(
          (await as('lee').get('/inbox')).body.items.map((r: any) => r.id),
        ).not.toContain(id);
        const approved = await as('riley').post(`/requests/${id}/approve`);
        expect(approved.status).toBe(200);
        expect(approved.body.status).toBe('granting');
      });

      it('lets one person decide several stages when the flow allows it', async () => {
        const { as } = await start({
          memberships: LEE_IN_BOTH,
          access: withFlow('two-stage', flow => ({
            ...flow,
            approval: {
              ...flow.approval,
              allowSameApproverAcrossStages: true,
            },
          })),
        });
        const id = (
          await as('dana').post('/requests', { items: [CONSOLE_USER] })
        ).body.requests[0].id;
        expect((await as('lee').post(`/requests/${id}/approve`)).status).toBe(
          200,
        );
        const second = await as('lee').post(`/requests/${id}/approve`);
        expect(second.status).toBe(200);
        expect(second.body.status).toBe('granting');
      });

      it('refuses a request whose stages only the same person could fill', async () => {
        const { as } = await start({
          memberships: {
            ...MEMBERSHIPS,
            lee: ['team-leads', 'security'],
            riley: [],
            pat: [],
          },
        });
        const res = await as('dana').post('/requests', {
          items: [CONSOLE_USER],
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          "Flow 'two-stage' cannot approve this request: its 2 stages need 2 different approvers besides you, and fewer are eligible",
        );
      });
    });

    describe('decisions come from people directly', () => {
      it('refuses a decision made with a token issued to a service acting for the approver', async () => {
        const { as, server } = await start({});
        const id = (
          await as('dana').post('/requests', {
            items: [DB_READ],
            justification: JUSTIFICATION,
          })
        ).body.requests[0].id;
        const onBehalf = mockCredentials.user.token('user:default/lee', {
          actor: { subject: 'plugin:scaffolder' },
        });
        for (const decision of ['approve', 'reject']) {
          const res = await request(server)
            .post(`/api/access/requests/${id}/${decision}`)
            .set('authorization', `Bearer ${onBehalf}`)
            .send({ reason: 'Not needed' });
          expect(res.status).toBe(403);
          expect(res.body.error.message).toBe(
            'Decisions come from people directly; this token was issued to plugin:scaffolder acting for you',
          );
        }
        const details = await as('dana').get(`/requests/${id}`);
        expect(details.body.status).toBe('pending_approval');
        expect(details.body.approvals).toEqual([]);

        const direct = await as('lee').post(`/requests/${id}/approve`);
        expect(direct.status).toBe(200);
      });

      it('grants only to a user that exists in the catalog', async () => {
        const { as } = await start({});
        const ghost = await as('lee').post('/requests', {
          items: [{ resourceRef: 'sandbox', permission: 'use' }],
          granteeRef: 'user:default/nobody',
        });
        expect(ghost.status).toBe(400);
        expect(ghost.body.error.message).toBe(
          'granteeRef: no user user:default/nobody in the catalog',
        );
        const match = await as('lee').post('/flows/match', {
          items: [{ resourceRef: 'sandbox', permission: 'use' }],
          granteeRef: 'nobody',
        });
        expect(match.status).toBe(400);
        const real = await as('lee').post('/requests', {
          items: [{ resourceRef: 'sandbox', permission: 'use' }],
          granteeRef: 'sam',
        });
        expect(real.status).toBe(201);
        expect(real.body.requests[0].granteeRef).toBe('user:default/sam');
      });
    });

    describe('extension chains', () => {
      /** owner-approval with on-behalf requests, extensions that need approval, 2 h in all. */
      const chainConfig = {
        ...withFlow('owner-approval', flow => ({
          ...flow,
          durations: ['PT1H'],
          maxDuration: 'PT2H',
          onBehalfOf: true,
          extension: { maxExtensions: 3, requiresApproval: true },
        })),
        engine: { enabled: true },
        credentials: {
          encryptionKey: 'a test key that is long enough to be used',
        },
        resources: TEST_ACCESS_CONFIG.resources.map(resource =>
          resource.ref === 'payments-db'
            ? { ...resource, integration: 'test' }
            : resource,
        ),
      };

      it('keeps the original requester from approving an extension the grantee asked for, and maxDuration holds for the whole chain', async () => {
        const { provisioner } = recordingProvisioner('test');
        const { as } = await start({
          access: chainConfig,
          features: [provisionersModule([provisioner])],
        });
        const active = (id: string) =>
          until(
            async () => (await as('sam').get(`/requests/${id}`)).body,
            body => body.status === 'active',
          );
        // lee asks for sam; dana, the other owner, approves.
        const id = (
          await as('lee').post('/requests', {
            items: [DB_READ],
            granteeRef: 'sam',
            justification: JUSTIFICATION,
          })
        ).body.requests[0].id;
        expect((await as('dana').post(`/requests/${id}/approve`)).status).toBe(
          200,
        );
        const original = await active(id);

        // sam asks to extend; lee requested the original, so lee may not approve the extension.
        const asked = await as('sam').post(`/requests/${id}/extend`, {
          duration: 'PT1H',
          justification: 'The investigation takes longer, INC-42',
        });
        expect(asked.status).toBe(200);
        const extensionId = asked.body.id;
        const byLee = await as('lee').post(`/requests/${extensionId}/approve`);
        expect(byLee.status).toBe(403);
        expect(byLee.body.error.message).toBe(
          'You cannot decide on your own request',
        );
        expect(
          (await as('dana').post(`/requests/${extensionId}/approve`)).status,
        ).toBe(200);
        const extension = await active(extensionId);
        expect(extension.extension.used).toBe(1);

        // The chain began when the original was granted: its 2 h end there, whatever the
        // extension's own start.
        const chainStart = Date.parse(original.items[0].grantedAt);
        const extensionStart = Date.parse(extension.items[0].grantedAt);
        expect(extensionStart).toBeGreaterThan(chainStart);
        const pastChain = await as('sam').post(
          `/requests/${extensionId}/extend`,
          {
            endAt: new Date(extensionStart + 2 * HOUR).toISOString(),
            justification: 'Still more to look at, INC-42',
          },
        );
        expect(pastChain.status).toBe(400);
        expect(pastChain.body.error.message).toBe(
          `endAt: flow 'owner-approval' allows at most PT2H in all; the latest end is ${new Date(
            chainStart + 2 * HOUR,
          ).toISOString()}`,
        );
      });
    });
  });
});
