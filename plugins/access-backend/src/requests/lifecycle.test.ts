import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startAccessBackend } from '../__testUtils__/accessBackend';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const JUSTIFICATION = 'Investigate failed payouts in INC-42';

describe('request lifecycle over the HTTP API', () => {
  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const start = async () =>
      startAccessBackend({ knex: await databases.init(databaseId) });

    it('grants automatically under a flow without approval stages', async () => {
      const { as } = await start();
      const res = await as('dana').post('/requests', {
        items: [{ resourceRef: 'resource:default/sandbox', permission: 'use' }],
      });

      expect(res.status).toBe(201);
      expect(res.body.requests).toHaveLength(1);
      const [req] = res.body.requests;
      expect(req).toMatchObject({
        flowId: 'self-service',
        status: 'granting',
        requesterRef: 'user:default/dana',
        granteeRef: 'user:default/dana',
        duration: 'PT1H',
        items: [
          {
            resourceRef: 'resource:default/sandbox',
            permission: 'use',
            status: 'queued',
          },
        ],
        approvers: [],
      });

      const details = await as('dana').get(`/requests/${req.id}`);
      expect(details.body.audit.map((e: any) => e.action)).toEqual([
        'submit',
        'auto-approve',
      ]);
    });

    it('splits a submission by flow and shows why each approver was chosen', async () => {
      const { as } = await start();
      const res = await as('dana').post('/requests', {
        items: [DB_READ, { resourceRef: 'sandbox', permission: 'use' }],
        justification: JUSTIFICATION,
      });

      expect(res.status).toBe(201);
      const byFlow = Object.fromEntries(
        res.body.requests.map((r: any) => [r.flowId, r]),
      );
      expect(Object.keys(byFlow).sort()).toEqual([
        'owner-approval',
        'self-service',
      ]);
      expect(byFlow['owner-approval'].submissionId).toBe(
        byFlow['self-service'].submissionId,
      );
      expect(byFlow['owner-approval']).toMatchObject({
        status: 'pending_approval',
        stageCount: 1,
        approvers: [
          {
            stage: 0,
            entityRef: 'user:default/dana',
            why: 'member of group:default/payments, owner of resource:default/payments-db',
          },
          {
            stage: 0,
            entityRef: 'user:default/lee',
            why: 'member of group:default/payments, owner of resource:default/payments-db',
          },
        ],
      });
    });

    it('lets an owner approve, never the requester, and answers later deciders with 409 and who decided', async () => {
      const { as } = await start();
      const { body } = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      const id = body.requests[0].id;

      const self = await as('dana').post(`/requests/${id}/approve`);
      expect(self.status).toBe(403);
      expect(self.body.error.message).toBe(
        'You cannot decide on your own request',
      );

      const stranger = await as('sam').post(`/requests/${id}/approve`);
      expect(stranger.status).toBe(404);

      const approved = await as('lee').post(`/requests/${id}/approve`);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'granting',
        approvals: [
          { stage: 0, approverRef: 'user:default/lee', decision: 'approve' },
        ],
        items: [{ status: 'queued' }],
      });

      const late = await as('lee').post(`/requests/${id}/reject`, {
        reason: 'too late',
      });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toBe(
        'The request is granting; decided by user:default/lee (approve)',
      );

      const cancel = await as('dana').post(`/requests/${id}/cancel`);
      expect(cancel.status).toBe(409);
      expect(cancel.body.error.message).toBe(
        'Cannot cancel a request that is granting',
      );
    });

    it('requires the reasons the flow asks for, at most 124 characters', async () => {
      const { as } = await start();
      const { body } = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      const id = body.requests[0].id;

      const bare = await as('lee').post(`/requests/${id}/reject`);
      expect(bare.status).toBe(400);
      expect(bare.body.error.message).toBe(
        "reason: flow 'owner-approval' requires a reason to reject",
      );

      const long = await as('lee').post(`/requests/${id}/reject`, {
        reason: 'x'.repeat(125),
      });
      expect(long.status).toBe(400);
      expect(long.body.error.message).toMatch(
        /reason: a reason is at most 124 characters/,
      );

      const rejected = await as('lee').post(`/requests/${id}/reject`, {
        reason: 'Use the replica',
      });
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        statusReason: 'Use the replica',
        items: [{ status: 'cancelled' }],
      });
    });

    it('walks two stages in order: team lead, then security', async () => {
      const { as } = await start();
      const { body } = await as('sam').post('/requests', {
        items: [{ resourceRef: 'admin-console', permission: 'admin' }],
      });
      const id = body.requests[0].id;

      const early = await as('riley').post(`/requests/${id}/approve`);
      expect(early.status).toBe(403);
      expect(early.body.error.message).toBe(
        'You are not an approver of stage 1 of this request',
      );

      const first = await as('lee').post(`/requests/${id}/approve`);
      expect(first.body).toMatchObject({
        status: 'pending_approval',
        currentStage: 1,
      });

      const inbox = await as('riley').get('/inbox?state=pending');
      expect(inbox.body.items.map((r: any) => r.id)).toEqual([id]);
      expect((await as('lee').get('/inbox?state=pending')).body.items).toEqual(
        [],
      );
      expect(
        (await as('lee').get('/inbox?state=decided')).body.items.map(
          (r: any) => r.id,
        ),
      ).toEqual([id]);

      // pat could decide stage 2 too: nothing is decided for pat until it is over.
      expect((await as('pat').get('/inbox?state=decided')).body.items).toEqual(
        [],
      );

      const second = await as('riley').post(`/requests/${id}/approve`);
      expect(second.body.status).toBe('granting');

      // Decided without pat: pat sees who decided and what.
      const missed = (await as('pat').get('/inbox?state=decided')).body.items;
      expect(missed.map((r: any) => r.id)).toEqual([id]);
      expect(missed[0].approvals).toEqual([
        expect.objectContaining({ approverRef: 'user:default/lee', stage: 0 }),
        expect.objectContaining({
          approverRef: 'user:default/riley',
          stage: 1,
          decision: 'approve',
        }),
      ]);
      expect((await as('pat').get('/inbox?state=pending')).body.items).toEqual(
        [],
      );
    });

    it('completes a quorum stage only at its minimum count, with ticket and answers checked', async () => {
      const { as } = await start();
      const base = {
        items: [{ resourceRef: 'warehouse', permission: 'read' }],
        answers: { scope: 'orders' },
      };

      const noTicket = await as('sam').post('/requests', base);
      expect(noTicket.status).toBe(400);
      expect(noTicket.body.error.message).toBe(
        "ticket: flow 'quorum' requires a ticket",
      );

      const badTicket = await as('sam').post('/requests', {
        ...base,
        ticket: { type: 'incident', id: 'JIRA-1' },
      });
      expect(badTicket.body.error.message).toBe(
        "ticket.id: 'JIRA-1' does not match flow 'quorum''s ticket pattern ^INC-[0-9]+$",
      );

      const noAnswer = await as('sam').post('/requests', {
        ...base,
        answers: {},
        ticket: { type: 'incident', id: 'INC-7' },
      });
      expect(noAnswer.body.error.message).toBe(
        "answers.scope: flow 'quorum' requires an answer to 'Which tables?'",
      );

      const { body } = await as('sam').post('/requests', {
        ...base,
        ticket: { type: 'incident', id: 'INC-7' },
      });
      const id = body.requests[0].id;
      expect(body.requests[0]).toMatchObject({
        ticket: { type: 'incident', id: 'INC-7' },
        answers: { scope: 'orders' },
      });

      const one = await as('riley').post(`/requests/${id}/approve`);
      expect(one.body.status).toBe('pending_approval');
      const again = await as('riley').post(`/requests/${id}/approve`);
      expect(again.status).toBe(409);
      const two = await as('pat').post(`/requests/${id}/approve`);
      expect(two.body.status).toBe('granting');
    });

    it('lets the requester cancel while pending, and only the requester', async () => {
      const { as } = await start();
      const { body } = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      const id = body.requests[0].id;

      expect((await as('lee').post(`/requests/${id}/cancel`)).status).toBe(403);
      const cancelled = await as('dana').post(`/requests/${id}/cancel`, {
        reason: 'Not needed',
      });
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        statusReason: 'Not needed',
      });
      expect((await as('lee').get('/inbox')).body.items).toEqual([]);
    });

    it('requests on behalf of someone only where the flow allows it', async () => {
      const { as } = await start();
      const delegated = await as('lee').post('/requests', {
        items: [{ resourceRef: 'sandbox', permission: 'use' }],
        granteeRef: 'dana',
      });
      expect(delegated.status).toBe(201);
      expect(delegated.body.requests[0]).toMatchObject({
        requesterRef: 'user:default/lee',
        granteeRef: 'user:default/dana',
      });
      expect(
        (await as('lee').get('/requests?view=delegated')).body.items,
      ).toHaveLength(1);
      expect(
        (await as('dana').get('/requests?view=mine')).body.items,
      ).toHaveLength(1);

      const refused = await as('lee').post('/requests', {
        items: [DB_READ],
        granteeRef: 'user:default/dana',
        justification: JUSTIFICATION,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toBe(
        'items: no access flow lets you request read on resource:default/payments-db on behalf of someone else',
      );
    });

    it('pages "my requests" newest first with a cursor, and filters by status', async () => {
      const { as } = await start();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await as('dana').post('/requests', {
          items: [{ resourceRef: 'sandbox', permission: 'use' }],
        });
        ids.push(res.body.requests[0].id);
      }
      const first = await as('dana').get('/requests?view=mine&limit=2');
      const second = await as('dana').get(
        `/requests?view=mine&limit=2&cursor=${first.body.nextCursor}`,
      );
      const third = await as('dana').get(
        `/requests?view=mine&limit=2&cursor=${second.body.nextCursor}`,
      );
      const seen = [
        ...first.body.items,
        ...second.body.items,
        ...third.body.items,
      ].map((r: any) => r.id);
      expect(new Set(seen)).toEqual(new Set(ids));
      expect(seen).toHaveLength(5);
      expect(third.body.nextCursor).toBeUndefined();

      expect(
        (await as('dana').get('/requests?status=pending_approval')).body.items,
      ).toEqual([]);
      expect(
        (await as('dana').get('/requests?status=granting')).body.items,
      ).toHaveLength(5);
      const bad = await as('dana').get('/requests?status=approved');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(
        /^Invalid query: status\.0: Invalid enum value/,
      );
    });

    it('lists read only the columns of a request that the API shows', async () => {
      const knex = await databases.init(databaseId);
      const { as } = await startAccessBackend({ knex });
      const submitted = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      expect(submitted.status).toBe(201);

      // The page queries of the lists: newest first, limited (background sweeps order otherwise).
      const pageReads: string[] = [];
      const onQuery = (query: { sql: string }) => {
        if (
          /^select .* from ["`]?access_requests["`]? /i.test(query.sql) &&
          /order by .*created_at.* desc.* limit/i.test(query.sql)
        ) {
          pageReads.push(query.sql);
        }
      };
      knex.on('query', onQuery);
      try {
        for (const [user, path] of [
          ['dana', '/requests?view=mine'],
          ['lee', '/requests?view=approver'],
          ['lee', '/inbox?state=pending'],
        ]) {
          const res = await as(user).get(path);
          expect(res.status).toBe(200);
          expect(res.body.items).toMatchObject([
            {
              id: submitted.body.requests[0].id,
              justification: JUSTIFICATION,
              createdAt: submitted.body.requests[0].createdAt,
              currentStage: 0,
            },
          ]);
        }
        expect((await as('lee').get('/inbox?state=decided')).status).toBe(200);
      } finally {
        knex.off('query', onQuery);
      }
      expect(pageReads).toHaveLength(4);
      for (const sql of pageReads) {
        expect(sql).not.toMatch(/select \*/i);
        expect(sql).not.toMatch(
          /version|pending_deadline|stage_started_at|reminded_stage|escalated_stage/,
        );
      }
    });

    it("asks for the caller's groups only where flows or group work depend on them", async () => {
      const { as, userInfoLookups } = await start();
      const submitted = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      expect(submitted.status).toBe(201);
      expect(userInfoLookups).toEqual(['user:default/dana']);
      const { id } = submitted.body.requests[0];

      userInfoLookups.length = 0;
      for (const [user, path] of [
        ['dana', '/requests?view=mine'],
        ['dana', `/requests/${id}`],
        ['lee', '/inbox?state=pending'],
        ['lee', '/requests?view=approver'],
      ]) {
        expect((await as(user).get(path)).status).toBe(200);
      }
      expect((await as('lee').post(`/requests/${id}/approve`)).status).toBe(
        200,
      );
      expect(userInfoLookups).toEqual([]);

      for (const [user, path] of [
        ['dana', '/me'],
        ['dana', '/tasks?state=open'],
      ]) {
        expect((await as(user).get(path)).status).toBe(200);
      }
      expect(
        (await as('dana').post('/flows/match', { items: [DB_READ] })).status,
      ).toBe(200);
      expect(userInfoLookups).toEqual([
        'user:default/dana',
        'user:default/dana',
        'user:default/dana',
      ]);
    });

    it('asks the permission framework only what each route needs to know', async () => {
      const { as, permissionChecks } = await start();
      const asked = async (
        send: () => Promise<{ status: number }>,
      ): Promise<string[]> => {
        permissionChecks.length = 0;
        expect((await send()).status).toBe(200);
        return [...permissionChecks];
      };

      // Any signed-in user may search resources and bundles and have a justification scored.
      expect(await asked(() => as('dana').get('/resources?q=db'))).toEqual([]);
      expect(await asked(() => as('dana').get('/bundles'))).toEqual([]);
      expect(
        await asked(() =>
          as('dana').post('/justification/feedback', { text: JUSTIFICATION }),
        ),
      ).toEqual([]);
      // The lists ask what the caller may read; only the view of everyone's asks for admin.
      expect(await asked(() => as('dana').get('/requests?view=mine'))).toEqual([
        'access.request.read',
      ]);
      expect(await asked(() => as('lee').get('/inbox?state=pending'))).toEqual([
        'access.request.read',
      ]);
      expect(await asked(() => as('alex').get('/requests?view=all'))).toEqual([
        'access.admin',
        'access.request.read',
      ]);
    });

    it('keeps requests private to requester, grantee, approvers and admins', async () => {
      const { as } = await start();
      const { body } = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      const id = body.requests[0].id;

      expect((await as('sam').get(`/requests/${id}`)).status).toBe(404);
      expect((await as('lee').get(`/requests/${id}`)).status).toBe(200);
      expect((await as('alex').get(`/requests/${id}`)).status).toBe(200);
      expect((await as('sam').get('/requests?view=all')).status).toBe(403);
      expect(
        (await as('alex').get('/requests?view=all')).body.items,
      ).toHaveLength(1);
    });

    it('verifies the audit chain for admins only', async () => {
      const { as } = await start();
      const { body } = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      await as('lee').post(`/requests/${body.requests[0].id}/approve`);

      expect((await as('dana').get('/admin/audit/verify')).status).toBe(403);
      const verify = await as('alex').get('/admin/audit/verify');
      expect(verify.body).toEqual({
        ok: true,
        checked: 2,
        keyed: false,
        head: {
          seq: expect.any(Number),
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      });
    });

    it('pages bundles and resources', async () => {
      const { as } = await start();
      const bundles = await as('dana').get('/bundles?limit=1');
      expect(bundles.body).toEqual({
        items: [expect.objectContaining({ id: 'payments-oncall' })],
      });
      expect((await as('dana').get('/bundles?limit=0')).status).toBe(400);

      const first = await as('dana').get('/resources?limit=3');
      const second = await as('dana').get(
        `/resources?limit=3&cursor=${first.body.nextCursor}`,
      );
      expect(
        [...first.body.items, ...second.body.items].map((r: any) => r.ref),
      ).toEqual([
        'resource:default/admin-console',
        'resource:default/payments-db',
        'resource:default/sandbox',
        'resource:default/warehouse',
      ]);
      expect(second.body.nextCursor).toBeUndefined();
    });

    it('never lets a service token decide', async () => {
      const { as, server } = await start();
      const { body } = await as('dana').post('/requests', {
        items: [DB_READ],
        justification: JUSTIFICATION,
      });
      const res = await request(server)
        .post(`/api/access/requests/${body.requests[0].id}/approve`)
        .set('authorization', mockCredentials.service.header());
      expect(res.status).toBe(403);
    });
  });
});

describe('Backstage audit events', () => {
  it('records each decision as an auditor event, failed ones too', async () => {
    const events: Array<{ eventId: string; outcome: string; meta?: object }> =
      [];
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId, meta }) => ({
        success: async () => {
          events.push({ eventId, outcome: 'success', meta });
        },
        fail: async () => {
          events.push({ eventId, outcome: 'fail', meta });
        },
      }),
    });
    const { as } = await startAccessBackend({ features: [auditor.factory] });
    const { body } = await as('dana').post('/requests', {
      items: [DB_READ],
      justification: JUSTIFICATION,
    });
    const id = body.requests[0].id;
    await as('dana').post(`/requests/${id}/approve`);
    await as('lee').post(`/requests/${id}/approve`);

    expect(events).toEqual([
      { eventId: 'request-submit', outcome: 'success', meta: {} },
      {
        eventId: 'request-decide',
        outcome: 'fail',
        meta: { requestId: id, decision: 'approve' },
      },
      {
        eventId: 'request-decide',
        outcome: 'success',
        meta: { requestId: id, decision: 'approve' },
      },
    ]);
  });
});
