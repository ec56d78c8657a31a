import { AccessFlow } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import {
  provisionersModule,
  recordingProvisioner,
  until,
} from '../__testUtils__/engineFixtures';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { RequestHistory } from '../database/requests/RequestHistory';
import { FlowLookup } from './flows';

/*
 * What an approver sees of the grantee's past beside a request: built from real requests
 * (approved, granted by the engine, revoked, rejected), read through the HTTP API as the
 * approver, the requester and someone who may not read the request.
 */

const DAY = 24 * 60 * 60 * 1000;
const READ = {
  resourceRef: 'resource:default/payments-db',
  permission: 'read',
};

describe('the grantee history beside a request', () => {
  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startAccessBackend>>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { provisioner } = recordingProvisioner('test');
      backend = await startAccessBackend({
        knex,
        access: {
          ...TEST_ACCESS_CONFIG,
          engine: { enabled: true },
          resources: TEST_ACCESS_CONFIG.resources.map(r => ({
            ...r,
            integration: 'test',
          })),
        },
        features: [provisionersModule([provisioner])],
      });
    }, 60_000);

    afterAll(() => backend?.stop());

    const ask = async (
      permissions: string[] = ['read'],
      justification = 'Investigate failed payouts in INC-42',
    ): Promise<string> => {
      const res = await backend.as('dana').post('/requests', {
        items: permissions.map(permission => ({
          resourceRef: 'payments-db',
          permission,
        })),
        justification,
      });
      expect(res.status).toBe(201);
      return res.body.requests[0].id;
    };
    const grantedBy = async (id: string, approver = 'lee') => {
      expect(
        (await backend.as(approver).post(`/requests/${id}/approve`)).status,
      ).toBe(200);
      return until(
        async () => (await backend.as('dana').get(`/requests/${id}`)).body,
        body => body.status === 'active',
      );
    };
    const revoked = async (id: string) => {
      await backend.as('dana').post(`/requests/${id}/revoke`, {
        reason: 'Done',
      });
      await until(
        async () => (await backend.as('dana').get(`/requests/${id}`)).body,
        body => body.status === 'revoked' || body.status === 'expired',
      );
    };

    let old: string;
    let recent: string;
    let active: { id: string; items: Array<{ expiresAt: string }> };
    let rejected: string;
    let pending: string;
    let otherPending: string;

    beforeAll(async () => {
      // Granted long ago: outside the 90 days.
      old = await ask();
      await grantedBy(old);
      await revoked(old);
      await knex('access_grants')
        .where({ request_id: old })
        .update({ granted_at: new Date(Date.now() - 120 * DAY) });
      // Granted last month (read and write: the write does not count for the read).
      recent = await ask(['read', 'write']);
      await grantedBy(recent);
      await revoked(recent);
      await knex('access_grants')
        .where({ request_id: recent })
        .update({ granted_at: new Date(Date.now() - 30 * DAY) });
      // Granted now and still active.
      active = await grantedBy(await ask());
      // The last decision: a rejection.
      rejected = await ask();
      const rejection = await backend
        .as('lee')
        .post(`/requests/${rejected}/reject`, {
          reason: 'Not during the freeze',
        });
      if (rejection.status !== 200) {
        throw new Error(`rejecting answered ${rejection.status}`);
      }
      pending = await ask();
      otherPending = await ask(['read'], 'Check the refund batch in INC-43');
    }, 120_000);

    it('shows the approver the grantee history on the request page', async () => {
      const res = await backend.as('lee').get(`/requests/${pending}`);
      expect(res.status).toBe(200);
      expect(res.body.flowTitle).toBe('Owner approval');
      expect(res.body.granteeHistory).toEqual({
        windowDays: 90,
        items: [
          {
            ...READ,
            grantedInWindow: 2,
            lastDecision: {
              decision: 'reject',
              approverRef: 'user:default/lee',
              decidedAt: expect.any(String),
            },
            pendingRequests: 1,
            active: { expiresAt: active.items[0].expiresAt },
          },
        ],
      });
      const rejection = (await backend.as('lee').get(`/requests/${rejected}`))
        .body.approvals[0];
      expect(res.body.granteeHistory.items[0].lastDecision.decidedAt).toBe(
        rejection.decidedAt,
      );
    });

    it('counts each item apart, and never the request itself', async () => {
      const res = await backend.as('lee').get(`/requests/${recent}`);
      const [read, write] = res.body.granteeHistory.items;
      // The old one is outside the window; the active one is inside it; itself does not count.
      expect(read).toMatchObject({
        ...READ,
        grantedInWindow: 1,
        pendingRequests: 2,
      });
      expect(read.active).toEqual({ expiresAt: active.items[0].expiresAt });
      // Nobody else asked for write: no history at all.
      expect(write).toEqual({
        resourceRef: 'resource:default/payments-db',
        permission: 'write',
        grantedInWindow: 0,
        pendingRequests: 0,
      });
    });

    it('puts it on each pending request of the inbox, each without itself', async () => {
      const res = await backend.as('lee').get('/inbox');
      expect(res.status).toBe(200);
      const byId = new Map(
        res.body.items.map((r: { id: string }) => [r.id, r] as const),
      );
      for (const [id, other] of [
        [pending, otherPending],
        [otherPending, pending],
      ]) {
        expect(byId.get(id)).toMatchObject({
          granteeHistory: {
            items: [{ grantedInWindow: 2, pendingRequests: 1 }],
          },
        });
        expect(other).toBeDefined();
      }
      const decided = await backend.as('lee').get('/inbox?state=decided');
      expect(decided.body.items.length).toBeGreaterThan(0);
      for (const item of decided.body.items) {
        expect(item.granteeHistory).toBeUndefined();
      }
    });

    it('lets the requester read it, and nobody who may not read the request', async () => {
      const mine = await backend.as('dana').get(`/requests/${pending}`);
      expect(mine.body.granteeHistory.items[0].grantedInWindow).toBe(2);

      // Sam is neither requester, grantee, approver nor admin.
      const stranger = await backend.as('sam').get(`/requests/${pending}`);
      expect(stranger.status).toBe(404);
      expect(stranger.body.granteeHistory).toBeUndefined();
      expect(JSON.stringify(stranger.body)).not.toContain('payments-db');
      const inbox = await backend.as('sam').get('/inbox');
      expect(inbox.body.items).toEqual([]);
      // Riley approves other things (security), not this.
      expect(
        (await backend.as('riley').get(`/requests/${pending}`)).status,
      ).toBe(404);
      // An admin may read every request, and sees the same history.
      const admin = await backend.as('alex').get(`/requests/${pending}`);
      expect(admin.body.granteeHistory.items[0].grantedInWindow).toBe(2);
    });

    it('reads any number of requests in two queries', async () => {
      const history = new RequestHistory(knex);
      const queries: string[] = [];
      const count = (q: { sql: string }) => queries.push(q.sql);
      knex.on('query', count);
      try {
        const since = new Date(Date.now() - 90 * DAY);
        const one = await history.itemHistories([pending], since);
        expect(queries).toHaveLength(2);
        queries.length = 0;
        const all = await history.itemHistories(
          [old, recent, active.id, rejected, pending, otherPending],
          since,
        );
        expect(queries).toHaveLength(2);
        expect(one).toHaveLength(1);
        // recent has two items; the others one each.
        expect(all).toHaveLength(7);
      } finally {
        knex.off('query', count);
      }
    });
  });

  it('names a flow by its title, and by its id once the flow is gone', () => {
    const flow: AccessFlow = {
      id: 'owner-approval',
      title: 'Owner approval',
      resources: {},
      durations: ['PT1H'],
      maxDuration: 'PT1H',
      approval: { stages: [], requireReason: 'none', allowSelfApproval: false },
      justification: { required: false, minLength: 0 },
      ticket: { required: false, types: [] },
      questions: [],
      extension: { maxExtensions: 0, requiresApproval: false },
      pendingTimeout: 'P1D',
      onBehalfOf: false,
      allowScheduledStart: false,
    };
    const flows = new FlowLookup([flow]);
    expect(
      flows.facts({ flowId: 'owner-approval', channel: 'portal' }).title,
    ).toBe('Owner approval');
    expect(
      flows.facts({ flowId: 'removed-flow', channel: 'portal' }).title,
    ).toBe('removed-flow');
  });
});
