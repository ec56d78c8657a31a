import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { startAccessBackend } from '../__testUtils__/accessBackend';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

/*
 * Bad input: malformed requests to every route each get a 4xx whose message names the problem,
 * never a 500, and nothing they half-wrote stays in the database.
 */

const HOUR = 60 * 60 * 1000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };
const JUSTIFICATION = 'Investigate failed payouts in INC-42';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const XSS = '<script>alert(1)</script>';

const TABLES = [
  'access_requests',
  'access_grants',
  'access_request_approvers',
  'access_approvals',
  'access_audit_events',
] as const;
const TABLE_ORDER: Record<(typeof TABLES)[number], string[]> = {
  access_requests: ['id'],
  access_grants: ['id'],
  access_request_approvers: ['request_id', 'stage', 'approver_ref'],
  access_approvals: ['id'],
  access_audit_events: ['seq'],
};

const items = (count: number, item: object = SANDBOX) =>
  Array.from({ length: count }, () => item);
const base64url = (value: unknown) =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The requests created before the cases run, for the cases that need a real request id. */
interface Fixtures {
  /** dana's payments-db request under 'owner-approval', waiting for lee. */
  pendingId: string;
  /** dana's payments-db request, cancelled by dana. */
  cancelledId: string;
}

interface BadInput {
  name: string;
  method: 'get' | 'post';
  path: (fx: Fixtures) => string;
  /** A JSON body; a string is sent as raw `application/json` text, exactly as written. */
  body?: object | string;
  /** The demo user who sends it (dana unless said). */
  as?: string;
  status: number;
  /** What the error message must say: the field, or the reason. */
  message: RegExp;
}

const submit = (
  name: string,
  body: object | string,
  message: RegExp,
  status = 400,
): BadInput => ({
  name: `POST /requests: ${name}`,
  method: 'post',
  path: () => '/requests',
  body,
  message,
  status,
});

const match = (
  name: string,
  body: object | string,
  message: RegExp,
): BadInput => ({
  name: `POST /flows/match: ${name}`,
  method: 'post',
  path: () => '/flows/match',
  body,
  message,
  status: 400,
});

const decide = (
  name: string,
  decision: 'approve' | 'reject' | 'cancel',
  id: (fx: Fixtures) => string,
  options: { body?: object | string; as?: string; status?: number },
  message: RegExp,
): BadInput => ({
  name: `POST /requests/:id/${decision}: ${name}`,
  method: 'post',
  path: fx => `/requests/${encodeURIComponent(id(fx))}/${decision}`,
  body: options.body,
  as: options.as ?? 'lee',
  status: options.status ?? 400,
  message,
});

const query = (
  name: string,
  path: string,
  message: RegExp,
  options: { as?: string; status?: number } = {},
): BadInput => ({
  name: `GET ${path.split('?')[0]}: ${name}`,
  method: 'get',
  path: () => path,
  as: options.as,
  status: options.status ?? 400,
  message,
});

const feedback = (
  name: string,
  body: object | string,
  message: RegExp,
): BadInput => ({
  name: `POST /justification/feedback: ${name}`,
  method: 'post',
  path: () => '/justification/feedback',
  body,
  message,
  status: 400,
});

const notARef = (field: string, ref: string) =>
  new RegExp(
    `${field.replace(/[[\]]/g, '\\$&')}: '${ref.replace(
      /[/\\^$*+?.()|[\]{}]/g,
      '\\$&',
    )}' is not an entity ref of the form \\[kind:\\]\\[namespace/\\]name`,
  );

const BAD_INPUTS: BadInput[] = [
  // POST /requests: wrong JSON types
  submit(
    'items as a string',
    { items: 'payments-db' },
    /^Invalid request: items: Expected array, received string$/,
  ),
  submit(
    'permission as a number',
    { items: [{ resourceRef: 'sandbox', permission: 7 }] },
    /^Invalid request: items\.0\.permission: Expected string, received number$/,
  ),
  submit(
    'justification as an object',
    { items: [DB_READ], justification: { text: JUSTIFICATION } },
    /^Invalid request: justification: Expected string, received object$/,
  ),
  submit(
    'resourceRef as null',
    { items: [{ resourceRef: null, permission: 'use' }] },
    /items\.0\.resourceRef: Expected string, received null/,
  ),
  submit(
    'ticket as a string',
    { items: [DB_READ], justification: JUSTIFICATION, ticket: 'INC-42' },
    /ticket: Expected object, received string/,
  ),
  submit(
    'granteeRef as an array',
    { items: [SANDBOX], granteeRef: ['user:default/sam'] },
    /granteeRef: Expected string, received array/,
  ),
  submit(
    'duration as a number',
    { items: [SANDBOX], duration: 3600 },
    /duration: Expected string, received number/,
  ),
  submit(
    'answers as an array',
    { items: [SANDBOX], answers: ['orders'] },
    /answers: Expected object, received array/,
  ),

  // POST /requests: unknown fields
  submit(
    'unknown top-level field',
    { items: [SANDBOX], isAdmin: true },
    /^Invalid request: Unrecognized key\(s\) in object: 'isAdmin'$/,
  ),
  submit(
    'unknown field in an item',
    { items: [{ ...SANDBOX, role: 'owner' }] },
    /^Invalid request: items\.0: Unrecognized key\(s\) in object: 'role'$/,
  ),
  submit(
    'unknown field in the bundle',
    { bundle: { id: 'payments-oncall', force: true } },
    /bundle: Unrecognized key\(s\) in object: 'force'/,
  ),
  submit(
    'unknown field in the ticket',
    {
      items: [DB_READ],
      justification: JUSTIFICATION,
      ticket: { id: 'INC-42', url: 'https://example.com' },
    },
    /ticket: Unrecognized key\(s\) in object: 'url'/,
  ),

  // POST /requests: how many items
  submit(
    '10,001 items',
    { items: items(10_001) },
    /^Invalid request: items: Array must contain at most 1000 element\(s\)/,
  ),
  submit(
    '1,001 items',
    { items: items(1_001) },
    /^Invalid request: items: Array must contain at most 1000 element\(s\)/,
  ),
  submit(
    '600 items plus 600 bundle items',
    {
      items: items(600),
      bundle: { id: 'payments-oncall', items: items(600, DB_READ) },
    },
    /^Invalid request: items: at most 1000 items per submission$/,
  ),
  submit(
    'empty items and no bundle',
    { items: [] },
    /^Invalid request: items: give items, a bundle, or both$/,
  ),
  submit(
    'empty object',
    {},
    /^Invalid request: items: give items, a bundle, or both$/,
  ),
  submit(
    'a bundle with an empty item list',
    { bundle: { id: 'payments-oncall', items: [] } },
    /^(Invalid request: )?bundle\.items: /,
  ),

  // POST /requests: huge strings
  submit(
    'justification of 100,000 characters',
    { items: [DB_READ], justification: 'x'.repeat(100_000) },
    /^Invalid request: justification: String must contain at most 4000 character\(s\)$/,
  ),
  submit(
    'resourceRef of 10,000 characters',
    { items: [{ resourceRef: 'r'.repeat(10_000), permission: 'read' }] },
    /^Invalid request: items\.0\.resourceRef: String must contain at most 255 character\(s\)$/,
  ),
  submit(
    'answer of 5,000 characters',
    {
      items: [{ resourceRef: 'warehouse', permission: 'read' }],
      ticket: { type: 'incident', id: 'INC-7' },
      answers: { scope: 'y'.repeat(5_000) },
    },
    /answers\.scope: String must contain at most 2000 character\(s\)/,
  ),
  submit(
    'body over the 1 MB limit',
    { items: [DB_READ], justification: 'z'.repeat(2_000_000) },
    /too large/i,
    413,
  ),

  // POST /requests: bad entity refs
  ...['a:b:c/d', 'user:', '/', 'x y', XSS].map(ref =>
    submit(
      `resourceRef ${JSON.stringify(ref)}`,
      { items: [{ resourceRef: ref, permission: 'read' }] },
      notARef('items[0].resourceRef', ref),
    ),
  ),
  submit(
    'granteeRef that is a group',
    { items: [SANDBOX], granteeRef: 'group:default/payments' },
    /^granteeRef: 'group:default\/payments' must be a user, not a group$/,
  ),
  submit(
    'granteeRef that is not a ref',
    { items: [SANDBOX], granteeRef: 'x y' },
    notARef('granteeRef', 'x y'),
  ),
  submit(
    'unknown resource',
    { items: [{ resourceRef: 'no-such-db', permission: 'read' }] },
    /^items: no requestable resource resource:default\/no-such-db$/,
  ),
  submit(
    'permission the resource does not offer',
    { items: [{ resourceRef: 'sandbox', permission: 'root' }] },
    /^items: resource:default\/sandbox offers no permission 'root' \(it offers use\)$/,
  ),
  submit(
    'unknown bundle',
    { bundle: { id: 'no-such-bundle' } },
    /^bundle\.id: no bundle 'no-such-bundle'$/,
  ),
  submit(
    'bundle item not in the bundle',
    {
      bundle: {
        id: 'payments-oncall',
        items: [{ resourceRef: 'warehouse', permission: 'read' }],
      },
    },
    /^bundle\.items\[0\]: read on resource:default\/warehouse is not part of bundle 'payments-oncall'$/,
  ),
  submit(
    'bundle item with a malformed ref',
    {
      bundle: {
        id: 'payments-oncall',
        items: [{ resourceRef: 'a:b:c/d', permission: 'read' }],
      },
    },
    notARef('bundle.items[0].resourceRef', 'a:b:c/d'),
  ),

  // POST /requests: durations and times
  ...['P', 'PT-1H', '1 hour'].map(duration =>
    submit(
      `duration '${duration}'`,
      { items: [SANDBOX], duration },
      new RegExp(
        `^duration: '${duration}' is not an ISO-8601 duration such as PT1H$`,
      ),
    ),
  ),
  submit(
    'duration the flow does not offer',
    { items: [SANDBOX], duration: 'PT2H' },
    /^duration: flow 'self-service' offers PT1H, not PT2H$/,
  ),
  submit(
    'duration together with endAt',
    { items: [SANDBOX], duration: 'PT1H', endAt: at(HOUR) },
    /^Invalid request: endAt: give a duration or an endAt, not both$/,
  ),
  submit(
    'endAt before startAt',
    {
      items: [DB_READ],
      justification: JUSTIFICATION,
      startAt: at(2 * HOUR),
      endAt: at(HOUR),
    },
    /^endAt: .+ is not after the start$/,
  ),
  submit(
    'endAt beyond the longest the flow allows',
    { items: [DB_READ], justification: JUSTIFICATION, endAt: at(12 * HOUR) },
    /^endAt: flow 'owner-approval' allows at most PT8H$/,
  ),
  submit(
    'startAt in the past',
    { items: [SANDBOX], startAt: at(-2 * HOUR) },
    /^startAt: .+ is in the past$/,
  ),
  submit(
    'scheduled start on a flow that does not allow it',
    { items: [SANDBOX], startAt: at(2 * HOUR) },
    /^startAt: flow 'self-service' does not allow a scheduled start$/,
  ),
  submit(
    'startAt that is not a date',
    { items: [SANDBOX], startAt: 'tomorrow' },
    /^Invalid request: startAt: Invalid datetime/,
  ),
  submit(
    'startAt with an impossible offset (+99:99)',
    {
      items: [DB_READ],
      justification: JUSTIFICATION,
      startAt: '2030-01-01T00:00:00+99:99',
    },
    /^(Invalid request: )?startAt: /,
  ),
  submit(
    'endAt with an impossible offset (+24:00)',
    {
      items: [DB_READ],
      justification: JUSTIFICATION,
      endAt: '2030-01-01T00:00:00+24:00',
    },
    /^(Invalid request: )?endAt: /,
  ),

  // POST /requests: flows, requirements and answers
  submit(
    'flowId that covers none of the items',
    { items: [SANDBOX], flowId: 'two-stage' },
    /^flowId: flow 'two-stage' covers none of these items for you$/,
  ),
  submit(
    'flowId of no flow',
    { items: [SANDBOX], flowId: 'no-such-flow' },
    /^flowId: flow 'no-such-flow' covers none of these items for you$/,
  ),
  submit(
    'justification shorter than the flow asks',
    { items: [DB_READ], justification: 'because' },
    /^justification: flow 'owner-approval' requires at least 10 characters$/,
  ),
  submit(
    'ticket without an id',
    { items: [DB_READ], justification: JUSTIFICATION, ticket: {} },
    /ticket\.id: Required/,
  ),
  submit(
    'answers key no flow asks',
    { items: [SANDBOX], answers: { reason: 'testing' } },
    /^answers\.reason: no flow of this request asks that question$/,
  ),
  submit(
    'answers key that is not a question id',
    { items: [SANDBOX], answers: { 'drop table': 'x' } },
    /answers\.drop table: answer keys are question ids/,
  ),
  submit(
    'answers with a __proto__ key',
    '{"items":[{"resourceRef":"sandbox","permission":"use"}],"answers":{"__proto__":{"polluted":"yes"}}}',
    /answers\.__proto__: /,
  ),
  submit(
    'answers with a constructor key',
    '{"items":[{"resourceRef":"sandbox","permission":"use"}],"answers":{"constructor":"x"}}',
    /answers\.constructor: reserved key/,
  ),
  submit(
    'answers with a prototype key',
    '{"items":[{"resourceRef":"sandbox","permission":"use"}],"answers":{"prototype":"x"}}',
    /answers\.prototype: reserved key/,
  ),
  submit(
    'top-level __proto__ key',
    '{"__proto__":{"isAdmin":true},"items":[{"resourceRef":"sandbox","permission":"use"}]}',
    /Unrecognized key\(s\) in object: '__proto__'/,
  ),
  submit(
    '__proto__ key in an item',
    '{"items":[{"resourceRef":"sandbox","permission":"use","__proto__":{"polluted":"yes"}}]}',
    /items\.0: Unrecognized key\(s\) in object: '__proto__'/,
  ),

  // POST /requests: the body itself
  submit('malformed JSON', '{"items": [', /JSON/),
  submit(
    'body that is an array',
    [SANDBOX],
    /^Invalid request: Expected object, received array$/,
  ),
  submit('body that is a JSON string', '"sandbox use"', /JSON|object/),

  // POST /flows/match
  match('no items', {}, /^Invalid flow match: items: Required$/),
  match(
    'empty items',
    { items: [] },
    /^Invalid flow match: items: Array must contain at least 1 element\(s\)$/,
  ),
  match(
    '1,001 items',
    { items: items(1_001) },
    /^Invalid flow match: items: Array must contain at most 1000 element\(s\)$/,
  ),
  match(
    'unknown field',
    { items: [SANDBOX], flowId: 'self-service' },
    /^Invalid flow match: Unrecognized key\(s\) in object: 'flowId'$/,
  ),
  match(
    'permission as a number',
    { items: [{ resourceRef: 'sandbox', permission: 1 }] },
    /items\.0\.permission: Expected string, received number/,
  ),
  match(
    'malformed resourceRef',
    { items: [{ resourceRef: 'a:b:c/d', permission: 'read' }] },
    notARef('items[0].resourceRef', 'a:b:c/d'),
  ),
  match(
    'granteeRef that is a group',
    { items: [SANDBOX], granteeRef: 'group:default/payments' },
    /^granteeRef: 'group:default\/payments' must be a user, not a group$/,
  ),
  match(
    'unknown resource',
    { items: [{ resourceRef: 'no-such-db', permission: 'read' }] },
    /^items: no requestable resource resource:default\/no-such-db$/,
  ),

  // POST /requests/:id/approve|reject|cancel
  decide(
    'id that is not a uuid',
    'approve',
    () => 'not-a-uuid',
    {},
    /^Invalid request id: not a request id$/,
  ),
  decide(
    'id with SQL in it',
    'reject',
    () => "1' OR '1'='1",
    { body: { reason: 'no' } },
    /^Invalid request id: not a request id$/,
  ),
  decide(
    'id that is not a uuid',
    'cancel',
    () => '42',
    { as: 'dana' },
    /^Invalid request id: not a request id$/,
  ),
  decide(
    'unknown request id',
    'approve',
    () => UNKNOWN_ID,
    { status: 404 },
    new RegExp(`^No request ${UNKNOWN_ID}$`),
  ),
  decide(
    'unknown request id',
    'cancel',
    () => UNKNOWN_ID,
    { as: 'dana', status: 404 },
    new RegExp(`^No request ${UNKNOWN_ID}$`),
  ),
  decide(
    'unknown field in the body',
    'approve',
    fx => fx.pendingId,
    { body: { reason: 'ok', decision: 'approve' } },
    /^Invalid approve: Unrecognized key\(s\) in object: 'decision'$/,
  ),
  decide(
    'reason of 125 characters',
    'reject',
    fx => fx.pendingId,
    { body: { reason: 'r'.repeat(125) } },
    /^Invalid reject: reason: a reason is at most 124 characters$/,
  ),
  decide(
    'reason of 125 characters',
    'cancel',
    fx => fx.pendingId,
    { as: 'dana', body: { reason: 'r'.repeat(125) } },
    /^Invalid cancel: reason: a reason is at most 124 characters$/,
  ),
  decide(
    'reason as a number',
    'reject',
    fx => fx.pendingId,
    { body: { reason: 42 } },
    /^Invalid reject: reason: Expected string, received number$/,
  ),
  decide(
    'body that is an array',
    'reject',
    fx => fx.pendingId,
    { body: ['no'] },
    /^Invalid reject: Expected object, received array$/,
  ),
  decide(
    'malformed JSON body',
    'approve',
    fx => fx.pendingId,
    { body: '{"reason":' },
    /JSON/,
  ),
  decide(
    'no reason where the flow requires one',
    'reject',
    fx => fx.pendingId,
    {},
    /^reason: flow 'owner-approval' requires a reason to reject$/,
  ),
  decide(
    'the requester deciding her own request',
    'approve',
    fx => fx.pendingId,
    { as: 'dana', status: 403 },
    /^You cannot decide on your own request$/,
  ),
  decide(
    'someone other than the requester',
    'cancel',
    fx => fx.pendingId,
    { status: 403 },
    /^Only the requester can cancel a request$/,
  ),
  decide(
    'a request that is no longer pending',
    'approve',
    fx => fx.cancelledId,
    { status: 409 },
    /^The request is cancelled$/,
  ),
  decide(
    'a request that is no longer pending',
    'cancel',
    fx => fx.cancelledId,
    { as: 'dana', status: 409 },
    /^Cannot cancel a request that is cancelled$/,
  ),
  query(
    'id that is not a uuid',
    '/requests/not-a-uuid',
    /^Invalid request id: not a request id$/,
  ),

  // GET /requests
  query(
    'unknown view',
    '/requests?view=everything',
    /^Invalid query: view: Invalid enum value\. Expected 'mine' \| 'delegated' \| 'approver' \| 'all', received 'everything'$/,
  ),
  query(
    'view given twice',
    '/requests?view=mine&view=all',
    /^Invalid query: view: /,
  ),
  query(
    'unknown status',
    '/requests?status=granting,approved',
    /^Invalid query: status\.1: Invalid enum value\. .*received 'approved'$/,
  ),
  query(
    'limit 0',
    '/requests?limit=0',
    /^Invalid query: limit: limit must be at least 1$/,
  ),
  query(
    'limit -1',
    '/requests?limit=-1',
    /^Invalid query: limit: limit must be at least 1$/,
  ),
  query(
    "limit 'abc'",
    '/requests?limit=abc',
    /^Invalid query: limit: limit must be a number$/,
  ),
  query(
    'limit 100000',
    '/requests?limit=100000',
    /^Invalid query: limit: limit must be at most 500$/,
  ),
  query(
    'limit 1.5',
    '/requests?limit=1.5',
    /^Invalid query: limit: limit must be a whole number$/,
  ),
  query(
    'garbage cursor',
    '/requests?cursor=%%garbage%%',
    /^cursor is not one this API issued$/,
  ),
  query(
    'cursor of the wrong shape',
    `/requests?cursor=${base64url({ ref: 'resource:default/sandbox' })}`,
    /^cursor is not one this API issued$/,
  ),
  query(
    'cursor with an out-of-range time',
    `/requests?cursor=${base64url({ createdAt: 1e20, id: UNKNOWN_ID })}`,
    /^cursor is not one this API issued$/,
  ),
  query(
    'cursor of 2,000 characters',
    `/requests?cursor=${'c'.repeat(2_000)}`,
    /^Invalid query: cursor: cursor is too long$/,
  ),
  query(
    'unknown parameter',
    '/requests?owner=dana',
    /^Invalid query: Unrecognized key\(s\) in object: 'owner'$/,
  ),
  query(
    'view=all without access.admin',
    '/requests?view=all',
    /^view=all needs the access\.admin permission$/,
    { status: 403 },
  ),

  // GET /resources
  query(
    'limit 0',
    '/resources?limit=0',
    /^Invalid query: limit: limit must be at least 1$/,
  ),
  query(
    "limit 'abc'",
    '/resources?limit=abc',
    /^Invalid query: limit: limit must be a number$/,
  ),
  query(
    'garbage cursor',
    '/resources?cursor=not-a-cursor',
    /^cursor is not one this API issued$/,
  ),
  query(
    "owner 'a:b:c/d'",
    `/resources?owner=${encodeURIComponent('a:b:c/d')}`,
    notARef('owner', 'a:b:c/d'),
  ),
  query(
    "owner 'x y'",
    `/resources?owner=${encodeURIComponent('x y')}`,
    notARef('owner', 'x y'),
  ),
  query(
    'q of 201 characters',
    `/resources?q=${'q'.repeat(201)}`,
    /^Invalid query: q: String must contain at most 200 character\(s\)$/,
  ),
  query(
    'unknown parameter',
    '/resources?view=mine',
    /^Invalid query: Unrecognized key\(s\) in object: 'view'$/,
  ),

  // GET /inbox
  query(
    'unknown state',
    '/inbox?state=all',
    /^Invalid query: state: Invalid enum value\. Expected 'pending' \| 'decided', received 'all'$/,
  ),
  query(
    'limit -1',
    '/inbox?limit=-1',
    /^Invalid query: limit: limit must be at least 1$/,
  ),
  query(
    'garbage cursor',
    '/inbox?cursor=eyJub3QiOiJqc29u',
    /^cursor is not one this API issued$/,
  ),

  // POST /justification/feedback
  feedback(
    'missing text',
    {},
    /^Invalid justification feedback: text: Required$/,
  ),
  feedback(
    'text as a number',
    { text: 42 },
    /^Invalid justification feedback: text: Expected string, received number$/,
  ),
  feedback(
    'text of 5,000 characters',
    { text: 'w'.repeat(5_000) },
    /^Invalid justification feedback: text: String must contain at most 4000 character\(s\)$/,
  ),
  feedback(
    'unknown field',
    { text: JUSTIFICATION, score: 100 },
    /^Invalid justification feedback: Unrecognized key\(s\) in object: 'score'$/,
  ),
  feedback(
    'unknown field in the ticket',
    { text: JUSTIFICATION, ticket: { id: 'INC-42', priority: 'P1' } },
    /^Invalid justification feedback: ticket: Unrecognized key\(s\) in object: 'priority'$/,
  ),
  feedback('malformed JSON', '{text: "unquoted"}', /JSON/),
];

type TableRows = Record<(typeof TABLES)[number], unknown[]>;

async function readTables(knex: Knex): Promise<TableRows> {
  const rows = {} as TableRows;
  for (const table of TABLES) {
    rows[table] = await knex(table).orderBy(TABLE_ORDER[table]);
  }
  return rows;
}

describe('bad input over the HTTP API', () => {
  const databases = createAccessTestDatabases();

  it('has at least 50 distinct malformed cases', () => {
    const names = BAD_INPUTS.map(c => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(50);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startAccessBackend>>;
    let fx: Fixtures;
    let before: TableRows;

    const send = (
      user: string,
      method: 'get' | 'post',
      path: string,
      body?: object | string,
    ) => {
      const req = request(backend.server)
        [method](`/api/access${path}`)
        .set(
          'authorization',
          mockCredentials.user.header(`user:default/${user}`),
        );
      if (typeof body === 'string') {
        return req.set('content-type', 'application/json').send(body);
      }
      return body === undefined ? req : req.send(body);
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startAccessBackend({ knex });

      // dana's payments-db request under 'owner-approval'; setup must succeed or nothing is tested.
      const newRequest = async () => {
        const res = await backend.as('dana').post('/requests', {
          items: [DB_READ],
          justification: JUSTIFICATION,
        });
        if (res.status !== 201) {
          throw new Error(`setup: submit gave ${res.status} ${res.text}`);
        }
        return res.body.requests[0].id as string;
      };
      const pendingId = await newRequest();
      const cancelledId = await newRequest();
      const cancel = await backend
        .as('dana')
        .post(`/requests/${cancelledId}/cancel`);
      if (cancel.body.status !== 'cancelled') {
        throw new Error(`setup: cancel gave ${cancel.status} ${cancel.text}`);
      }
      fx = { pendingId, cancelledId };
      before = await readTables(knex);
    }, 60_000);

    it.each(BAD_INPUTS)(
      '$name',
      async c => {
        const res = await send(c.as ?? 'dana', c.method, c.path(fx), c.body);

        expect({
          status: res.status,
          message: res.body?.error?.message,
        }).toEqual({
          status: c.status,
          message: expect.stringMatching(c.message),
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      },
      30_000,
    );

    it('leaves nothing half-written and pollutes no prototype', async () => {
      const after = await readTables(knex);
      // Only the two requests made before the cases, unchanged: the pending one and the cancelled one.
      expect(Object.fromEntries(TABLES.map(t => [t, after[t].length]))).toEqual(
        Object.fromEntries(TABLES.map(t => [t, before[t].length])),
      );
      expect(after).toEqual(before);
      const [{ n: others }] = await knex('access_requests')
        .whereNotIn('id', [fx.pendingId, fx.cancelledId])
        .count({ n: '*' });
      expect(Number(others)).toBe(0);
      const [{ n: approvals }] = await knex('access_approvals').count({
        n: '*',
      });
      expect(Number(approvals)).toBe(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it('stores <script> in a justification verbatim and returns it as plain JSON text', async () => {
      const count = async () =>
        Number((await knex('access_requests').count({ n: '*' }))[0].n);
      const requestsBefore = await count();
      const res = await send('dana', 'post', '/requests', {
        items: [DB_READ],
        justification: XSS,
      });

      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.text).toContain(JSON.stringify(XSS));
      const [created] = res.body.requests;
      expect(created.justification).toBe(XSS);

      const row = await knex('access_requests')
        .where({ id: created.id })
        .first();
      expect(row.justification).toBe(XSS);

      const details = await send('lee', 'get', `/requests/${created.id}`);
      expect(details.status).toBe(200);
      expect(details.headers['content-type']).toMatch(/^application\/json/);
      expect(details.body.justification).toBe(XSS);

      expect(await count()).toBe(requestsBefore + 1);
    });
  });
});
