import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import {
  provisionersModule,
  recordingProvisioner,
  until,
} from '../__testUtils__/engineFixtures';
import {
  documentedRoutes,
  documentedStatuses,
  routerRoutes,
  undocumented,
} from '../__testUtils__/openapiDocument';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { ChatStore } from '../database/chat/ChatStore';

/*
 * Every 4xx answer openapi.yaml documents for a route really happens: a table of (route, status,
 * how to provoke it), each row sent to a live backend on each test database. The test fails when
 * a documented 4xx has no row, when a row gets another status, and when an answer's status is
 * not documented for its route (or its body does not match the document).
 */

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };
const JUSTIFICATION = 'Investigate failed payouts in INC-42';
/** Over the 1 MB the router's JSON parser takes. */
const TOO_LARGE = { justification: 'z'.repeat(1_100_000) };
const items = (count: number, item: object) =>
  Array.from({ length: count }, () => item);
const base64url = (value: unknown) =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** How a row reaches the backend, and what it needs made first. */
interface Context {
  /** Sends as a demo user; a string body is sent as raw JSON text. */
  as(
    user: string,
  ): (method: string, path: string, body?: object | string) => request.Test;
  /** Sends with an exact authorization header (a service token, a bad token). */
  withHeader(header: string): (method: string, path: string) => request.Test;
  /** Sends as a user to a backend that allows one submission and one decision per minute. */
  limited(
    user: string,
  ): (method: string, path: string, body?: object | string) => request.Test;
  /** A new request of dana's under 'owner-approval', waiting for lee. */
  pending(): Promise<string>;
  /** A new request of dana's under 'owner-approval', cancelled by her. */
  closed(): Promise<string>;
  /** The grant of a new pending request of dana's (not active: no credentials). */
  pendingGrant(): Promise<string>;
  /** An open fulfilment task for lee's group (payments) on dana's approved request. */
  openTask(): Promise<string>;
  /** A favorite of dana's, of a closed 'owner-approval' request. */
  favorite(): Promise<string>;
  /** A chat delivery waiting in the outbox (written there: this backend has no chat channel). */
  pendingChatDelivery(): Promise<string>;
}

interface Row {
  /** `METHOD /path/{param}` as in the document. */
  route: string;
  status: number;
  how: string;
  send: (ctx: Context) => Promise<request.Response>;
}

/** A row sent by one user: `path` and `body` may be made from the context. */
function row(
  route: string,
  status: number,
  how: string,
  user: string,
  path: string | ((ctx: Context) => Promise<string>),
  body?: object | string,
): Row {
  const method = route.split(' ')[0];
  return {
    route,
    status,
    how,
    send: async ctx =>
      ctx.as(user)(
        method,
        typeof path === 'string' ? path : await path(ctx),
        body,
      ),
  };
}

const requestPath =
  (make: (ctx: Context) => Promise<string>, action = '') =>
  async (ctx: Context) =>
    `/requests/${await make(ctx)}${action}`;
const pending = (action = '') => requestPath(ctx => ctx.pending(), action);
const closed = (action = '') => requestPath(ctx => ctx.closed(), action);

/** 413 on a route that takes a body: one over 1 MB. */
const tooLarge = (route: string, user = 'dana'): Row =>
  row(
    route,
    413,
    'a body over 1 MB',
    user,
    route.split(' ')[1].replace('{id}', UNKNOWN_ID),
    TOO_LARGE,
  );

/** 429 on a rate-limited route: a user's second call in a minute where one is allowed. */
const tooMany = (route: string): Row => ({
  route,
  status: 429,
  how: 'a second call within the minute, one allowed',
  send: async ctx => {
    const [method, path] = route.split(' ');
    const send = ctx.limited(`limited-${route.replace(/\W+/g, '-')}`);
    const concrete = path.replace('{id}', UNKNOWN_ID);
    await send(method, concrete, {});
    return send(method, concrete, {});
  },
});

/**
 * The answers routes give for particular inputs and states, besides the auth ones: one row per
 * line, (route, status, how, who sends it, path, body).
 */
// prettier-ignore
const ROWS: Row[] = [
  row('GET /resources', 400, 'owner not an entity ref', 'dana', '/resources?owner=x%20y'),
  row('GET /resources', 400, 'a cursor the API did not issue', 'dana', '/resources?cursor=not-a-cursor'),
  row('GET /suggestions', 400, 'no q', 'dana', '/suggestions'),
  row('GET /bundles', 400, 'a cursor the API did not issue', 'dana', `/bundles?cursor=${base64url({ ref: 'x' })}`),

  row('POST /flows/match', 400, 'a resource that is not requestable', 'dana', '/flows/match',
    { items: [{ resourceRef: 'no-such-db', permission: 'read' }] }),
  tooLarge('POST /flows/match'),

  row('POST /requests', 400, 'no justification where the flow requires one', 'dana', '/requests', { items: [DB_READ] }),
  row('POST /requests', 400, 'an answer key no flow asks', 'dana', '/requests',
    { items: [SANDBOX], answers: { reason: 'testing' } }),
  row('POST /requests', 400, 'an answer key that is not a question id', 'dana', '/requests',
    { items: [SANDBOX], answers: { 'drop table': 'x' } }),
  row('POST /requests', 400, 'a reserved answer key', 'dana', '/requests',
    '{"items":[{"resourceRef":"sandbox","permission":"use"}],"answers":{"constructor":"x"}}'),
  row('POST /requests', 400, 'a duration the flow does not offer', 'dana', '/requests',
    { items: [SANDBOX], duration: 'PT2H' }),
  row('POST /requests', 400, '600 items plus 600 of the bundle', 'dana', '/requests',
    { items: items(600, SANDBOX), bundle: { id: 'payments-oncall', items: items(600, DB_READ) } }),
  tooLarge('POST /requests'),
  tooMany('POST /requests'),

  row('GET /requests', 400, 'a cursor of the wrong shape', 'dana', `/requests?cursor=${base64url({ ref: 'x' })}`),
  row('GET /requests', 403, 'view=all without access.admin', 'dana', '/requests?view=all'),
  row('GET /requests', 403, 'the read policy denies pat', 'pat', '/requests'),
  row('GET /requests/{id}', 400, 'id not a uuid', 'dana', '/requests/not-a-uuid'),
  row('GET /requests/{id}', 403, 'the read policy denies pat', 'pat', `/requests/${UNKNOWN_ID}`),
  row('GET /requests/{id}', 404, 'an unknown id', 'dana', `/requests/${UNKNOWN_ID}`),

  row('POST /requests/{id}/approve', 400, 'a reason of 125 characters', 'lee', pending('/approve'), { reason: 'r'.repeat(125) }),
  row('POST /requests/{id}/approve', 403, 'the requester approving her own request', 'dana', pending('/approve')),
  row('POST /requests/{id}/approve', 404, 'an unknown id', 'lee', `/requests/${UNKNOWN_ID}/approve`),
  row('POST /requests/{id}/approve', 409, 'a cancelled request', 'lee', closed('/approve')),
  tooMany('POST /requests/{id}/approve'),
  tooLarge('POST /requests/{id}/approve', 'lee'),
  row('POST /requests/{id}/reject', 400, 'no reason where the flow requires one', 'lee', pending('/reject')),
  row('POST /requests/{id}/reject', 403, 'the requester rejecting her own request', 'dana', pending('/reject'), { reason: 'no' }),
  row('POST /requests/{id}/reject', 404, 'an unknown id', 'lee', `/requests/${UNKNOWN_ID}/reject`),
  row('POST /requests/{id}/reject', 409, 'a cancelled request', 'lee', closed('/reject'), { reason: 'no' }),
  tooMany('POST /requests/{id}/reject'),
  tooLarge('POST /requests/{id}/reject', 'lee'),
  row('POST /requests/{id}/cancel', 400, 'id not a uuid', 'dana', '/requests/42/cancel'),
  row('POST /requests/{id}/cancel', 403, 'an approver cancelling', 'lee', pending('/cancel')),
  row('POST /requests/{id}/cancel', 404, 'an unknown id', 'dana', `/requests/${UNKNOWN_ID}/cancel`),
  row('POST /requests/{id}/cancel', 409, 'a cancelled request', 'dana', closed('/cancel')),
  tooLarge('POST /requests/{id}/cancel'),
  row('POST /requests/{id}/revoke', 400, 'id not a uuid', 'dana', '/requests/x/revoke'),
  row('POST /requests/{id}/revoke', 403, 'an approver revoking', 'lee', pending('/revoke')),
  row('POST /requests/{id}/revoke', 404, 'an unknown id', 'dana', `/requests/${UNKNOWN_ID}/revoke`),
  row('POST /requests/{id}/revoke', 409, 'a request still pending', 'dana', pending('/revoke')),
  tooLarge('POST /requests/{id}/revoke'),
  row('POST /requests/{id}/extend', 400, 'neither duration nor endAt', 'dana', pending('/extend'), {}),
  row('POST /requests/{id}/extend', 403, 'an approver extending', 'lee', pending('/extend'), { duration: 'PT1H' }),
  row('POST /requests/{id}/extend', 404, 'an unknown id', 'dana', `/requests/${UNKNOWN_ID}/extend`, { duration: 'PT1H' }),
  row('POST /requests/{id}/extend', 409, 'a request not active', 'dana', pending('/extend'), { duration: 'PT1H' }),
  tooMany('POST /requests/{id}/extend'),
  tooLarge('POST /requests/{id}/extend'),
  row('POST /requests/{id}/request-again', 400, 'no justification where the flow requires one', 'dana',
    closed('/request-again'), {}),
  row('POST /requests/{id}/request-again', 403, 'an approver asking again', 'lee', closed('/request-again'),
    { justification: JUSTIFICATION }),
  row('POST /requests/{id}/request-again', 404, 'an unknown id', 'dana', `/requests/${UNKNOWN_ID}/request-again`),
  row('POST /requests/{id}/request-again', 409, 'a request not closed', 'dana', pending('/request-again'),
    { justification: JUSTIFICATION }),
  tooMany('POST /requests/{id}/request-again'),
  tooLarge('POST /requests/{id}/request-again'),

  row('GET /favorites', 400, 'a cursor the API did not issue', 'dana', '/favorites?cursor=%25%25garbage%25%25'),
  row('POST /favorites', 400, 'a blank name', 'dana', '/favorites', { requestId: UNKNOWN_ID, name: ' ' }),
  row('POST /favorites', 404, 'an unknown request', 'dana', '/favorites', { requestId: UNKNOWN_ID }),
  { route: 'POST /favorites', status: 409, how: 'a request still pending',
    send: async ctx => ctx.as('dana')('POST', '/favorites', { requestId: await ctx.pending() }) },
  tooLarge('POST /favorites'),
  row('DELETE /favorites/{id}', 400, 'id not a uuid', 'dana', '/favorites/x'),
  row('DELETE /favorites/{id}', 404, 'an unknown id', 'dana', `/favorites/${UNKNOWN_ID}`),
  row('POST /favorites/{id}/request', 400, 'no justification where the flow requires one', 'dana',
    async ctx => `/favorites/${await ctx.favorite()}/request`, {}),
  row('POST /favorites/{id}/request', 404, 'an unknown id', 'dana', `/favorites/${UNKNOWN_ID}/request`),
  tooLarge('POST /favorites/{id}/request'),
  tooMany('POST /favorites/{id}/request'),

  row('GET /inbox', 400, 'an unknown state', 'lee', '/inbox?state=all'),
  row('GET /inbox', 403, 'the read policy denies pat', 'pat', '/inbox'),
  row('POST /justification/feedback', 400, 'no text', 'dana', '/justification/feedback', {}),
  tooLarge('POST /justification/feedback'),

  ...(['reveal', 'reset'] as const).flatMap(action => [
    row(`POST /grants/{id}/credentials/${action}`, 400, 'id not a uuid', 'dana', `/grants/x/credentials/${action}`),
    row(`POST /grants/{id}/credentials/${action}`, 403, 'an admin who does not hold the access', 'alex',
      async ctx => `/grants/${await ctx.pendingGrant()}/credentials/${action}`),
    row(`POST /grants/{id}/credentials/${action}`, 404, 'an unknown id', 'dana', `/grants/${UNKNOWN_ID}/credentials/${action}`),
    row(`POST /grants/{id}/credentials/${action}`, 409, 'access not active', 'dana',
      async ctx => `/grants/${await ctx.pendingGrant()}/credentials/${action}`),
  ]),

  row('GET /tasks', 400, 'an unknown state', 'lee', '/tasks?state=all'),
  row('POST /tasks/{id}/complete', 400, 'id not a uuid', 'lee', '/tasks/x/complete'),
  row('POST /tasks/{id}/complete', 403, 'someone who does not own the resource', 'sam',
    async ctx => `/tasks/${await ctx.openTask()}/complete`),
  row('POST /tasks/{id}/complete', 404, 'an unknown id', 'lee', `/tasks/${UNKNOWN_ID}/complete`),
  { route: 'POST /tasks/{id}/complete', status: 409, how: 'a task completed already',
    send: async ctx => {
      const path = `/tasks/${await ctx.openTask()}/complete`;
      const first = await ctx.as('lee')('POST', path);
      if (first.status !== 200) {
        throw new Error(`setup: completing gave ${first.status} ${first.text}`);
      }
      return ctx.as('lee')('POST', path);
    } },
  tooLarge('POST /tasks/{id}/complete', 'lee'),

  row('GET /admin/reconciliation', 400, 'limit 0', 'alex', '/admin/reconciliation?limit=0'),
  row('GET /admin/reconciliation', 403, 'no access.admin', 'dana', '/admin/reconciliation'),
  row('GET /admin/resources/unrequestable', 400, 'limit 0', 'alex', '/admin/resources/unrequestable?limit=0'),
  row('GET /admin/resources/unrequestable', 403, 'no access.admin', 'dana', '/admin/resources/unrequestable'),
  row('GET /admin/chat/deliveries', 400, 'an unknown state', 'alex', '/admin/chat/deliveries?state=lost'),
  row('GET /admin/chat/deliveries', 403, 'no access.admin', 'dana', '/admin/chat/deliveries'),
  row('POST /admin/chat/deliveries/{id}/retry', 400, 'an id that is not a UUID', 'alex', '/admin/chat/deliveries/nope/retry'),
  row('POST /admin/chat/deliveries/{id}/retry', 400, 'a field in the body', 'alex', `/admin/chat/deliveries/${UNKNOWN_ID}/retry`,
    { force: true }),
  row('POST /admin/chat/deliveries/{id}/retry', 403, 'no access.admin', 'dana', `/admin/chat/deliveries/${UNKNOWN_ID}/retry`),
  row('POST /admin/chat/deliveries/{id}/retry', 404, 'an unknown id', 'alex', `/admin/chat/deliveries/${UNKNOWN_ID}/retry`),
  row('POST /admin/chat/deliveries/{id}/retry', 409, 'a delivery that has not failed', 'alex',
    async ctx => `/admin/chat/deliveries/${await ctx.pendingChatDelivery()}/retry`),
  tooLarge('POST /admin/chat/deliveries/{id}/retry', 'alex'),
  row('GET /admin/audit/verify', 400, 'an anchor that is not <seq>:<hash>', 'alex', '/admin/audit/verify?anchor=1:nope'),
  row('GET /admin/audit/verify', 403, 'no access.admin', 'dana', '/admin/audit/verify'),
];

/** 401 and 403 on every route that needs a user: a bad token, and a service's token. */
async function authRows(): Promise<Row[]> {
  const routes = (await routerRoutes()).filter(r => r !== 'GET /health');
  return routes.flatMap(route => {
    const [method, path] = route.split(' ');
    const concrete = path.replace(/\{\w+\}/g, UNKNOWN_ID);
    return [
      {
        route,
        status: 401,
        how: 'an invalid token',
        send: async ctx =>
          ctx.withHeader(mockCredentials.user.invalidHeader())(
            method,
            concrete,
          ),
      },
      {
        route,
        status: 403,
        how: "a service's token",
        send: async ctx =>
          ctx.withHeader(mockCredentials.service.header())(method, concrete),
      },
    ];
  });
}

const key = (r: { route: string; status: number }) => `${r.route} ${r.status}`;

describe('openapi.yaml: each documented 4xx answer happens', () => {
  const databases = createAccessTestDatabases();
  let rows: Row[];

  beforeAll(async () => {
    rows = [...ROWS, ...(await authRows())];
  });

  it('has a row for every documented 4xx of every route', () => {
    const provoked = new Set(rows.map(key));
    const missing = documentedRoutes().flatMap(route => {
      const [method, path] = route.split(' ');
      return documentedStatuses(method, path)
        .filter(status => status >= 400 && status < 500)
        .map(status => key({ route, status }))
        .filter(k => !provoked.has(k));
    });
    expect(missing).toEqual([]);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let ctx: Context;

    beforeAll(async () => {
      const { provisioner } = recordingProvisioner('test', {
        grant: async target =>
          target.permission === 'use'
            ? { credentials: { user: 'jit_x', password: 'first' } }
            : {
                fulfilment: { instructions: 'Add the grantee to the readers' },
              },
      });
      const knex = await databases.init(databaseId);
      const backend = await startAccessBackend({
        knex,
        access: {
          ...TEST_ACCESS_CONFIG,
          // The rows submit and decide far more than a user may in a minute; tooMany's own
          // backend has the limits.
          rateLimits: { enabled: false },
          engine: { enabled: true },
          credentials: {
            encryptionKey: 'a test key that is long enough to be used',
          },
          resources: TEST_ACCESS_CONFIG.resources.map(r => ({
            ...r,
            integration: 'test',
          })),
        },
        features: [provisionersModule([provisioner])],
        readDecision: user =>
          user === 'user:default/pat'
            ? { result: AuthorizeResult.DENY }
            : undefined,
      });
      const limitedBackend = await startAccessBackend({
        knex: await databases.init(databaseId),
        access: {
          ...TEST_ACCESS_CONFIG,
          rateLimits: {
            submissions: { limit: 1, window: 'PT1M' },
            decisions: { limit: 1, window: 'PT1M' },
          },
        },
      });
      const sender =
        (server: typeof backend.server) =>
        (header: string) =>
        (method: string, path: string, body?: object | string) => {
          const req = (request(server) as any)
            [method.toLowerCase()](`/api/access${path}`)
            .set('authorization', header) as request.Test;
          if (typeof body === 'string') {
            return req.set('content-type', 'application/json').send(body);
          }
          return body === undefined ? req : req.send(body);
        };
      const userHeader = (user: string) =>
        mockCredentials.user.header(`user:default/${user}`);
      const withHeader = sender(backend.server);
      const as = (user: string) => withHeader(userHeader(user));
      const expectStatus = (res: request.Response, status: number) => {
        if (res.status !== status) {
          throw new Error(`setup: got ${res.status} ${res.text}`);
        }
        return res.body;
      };
      const submitted = async () =>
        expectStatus(
          await as('dana')('POST', '/requests', {
            items: [DB_READ],
            justification: JUSTIFICATION,
          }),
          201,
        ).requests[0];
      const closedId = async () => {
        const { id } = await submitted();
        expectStatus(await as('dana')('POST', `/requests/${id}/cancel`), 200);
        return id as string;
      };
      ctx = {
        as,
        withHeader,
        limited: user => sender(limitedBackend.server)(userHeader(user)),
        pending: async () => (await submitted()).id,
        closed: closedId,
        pendingGrant: async () => (await submitted()).items[0].id,
        openTask: async () => {
          const { id } = await submitted();
          expectStatus(await as('lee')('POST', `/requests/${id}/approve`), 200);
          const tasks = await until(
            async () => expectStatus(await as('lee')('GET', '/tasks'), 200),
            body =>
              body.items.some((t: { requestId: string }) => t.requestId === id),
          );
          return tasks.items.find(
            (t: { requestId: string }) => t.requestId === id,
          ).id;
        },
        favorite: async () =>
          expectStatus(
            await as('dana')('POST', '/favorites', {
              requestId: await closedId(),
            }),
            201,
          ).id,
        pendingChatDelivery: async () => {
          const chat = new ChatStore(knex);
          await chat.enqueue(
            [
              {
                dedupeKey: `openapi-errors:${randomUUID()}`,
                channel: 'slack',
                kind: 'approval',
                requestId: UNKNOWN_ID,
                recipientRef: 'user:default/lee',
                stage: 0,
              },
            ],
            new Date(),
          );
          return (await chat.page({ state: 'pending', limit: 1 })).items[0].id;
        },
      };
    }, 60_000);

    it.each(ROWS)('$route $status: $how', async r => {
      const [method, path] = r.route.split(' ');
      const res = await r.send(ctx);
      expect(undocumented(method, path, res, r.status)).toEqual([]);
    });

    it('401 and 403 on every route that needs a user', async () => {
      const problems = [];
      for (const r of await authRows()) {
        const [method, path] = r.route.split(' ');
        problems.push(
          ...undocumented(method, path, await r.send(ctx), r.status),
        );
      }
      expect(problems).toEqual([]);
    });
  });
});
