import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import { doc, invalidRequest, Schema } from '../__testUtils__/openapiDocument';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { normaliseEntityRef } from '../lib/entityRefs';
import { checkTiming } from '../requests/flowRules';
import { extensionSchema } from '../requests/submissionSchema';
import { AccessFlow } from '@jit-access/plugin-access-common';

/*
 * The document and the server agree on which inputs are valid: the patterns of openapi.yaml
 * accept exactly what the server's own parsers accept, and requests the document calls invalid
 * (for constraints a schema can state) get a 4xx while those it calls valid are served. The
 * constraints stated only in words (what a flow requires, answer keys, cursors) are provoked in
 * openapiErrors.test.ts.
 */

const schemas = doc.components.schemas as Record<string, Schema>;
const patternOf = (schema: Schema) => new RegExp(schema.pattern, 'u');
const ownerParameter = (
  doc.paths['/resources'].get.parameters as Schema[]
).find(p => p.name === 'owner')!;

/** A seeded generator, so that every run checks the same strings. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]) => items[below(items.length)];
  const text = (alphabet: string, min: number, max: number) =>
    Array.from({ length: min + below(max - min + 1) }, () =>
      pick(alphabet.split('')),
    ).join('');
  return { below, pick, text };
}

/** The strings on which the document's pattern and the server disagree, at most `limit`. */
function disagreements(
  candidates: Iterable<string>,
  pattern: RegExp,
  serverAccepts: (value: string) => boolean,
  limit = 10,
) {
  const found: Array<{ value: string; document: boolean; server: boolean }> =
    [];
  for (const value of candidates) {
    const document = pattern.test(value);
    const server = serverAccepts(value);
    if (document !== server && found.length < limit) {
      found.push({ value, document, server });
    }
  }
  return found;
}

const accepts = (parse: () => unknown) => {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
};

function* entityRefCandidates(seed: number) {
  const r = random(seed);
  const part = () =>
    r.pick([
      () => r.text('abcXYZ019-_.', 1, 8),
      () => r.text('a', 62, 65),
      () => r.text('a-', 1, 5),
      () => r.text('aA0 ', 1, 4),
      () => '',
    ])();
  for (let i = 0; i < 20_000; i++) {
    yield r.below(4) === 0
      ? r.text('aZ09-_.:/ \u0130', 1, 12)
      : `${
          r.below(2) ? `${r.pick(['', 'user', 'User', 'group', part()])}:` : ''
        }${r.below(2) ? `${part()}/` : ''}${part()}`;
  }
  yield* ['user:default/dana', 'USER:dana', 'Dana', 'a', '0', 'a:b:c/d', '/'];
}

function* durationCandidates(seed: number) {
  const r = random(seed);
  const number = () =>
    `${r.below(12) === 0 ? '-' : ''}${r.pick([
      '0',
      '00',
      String(r.below(1000)),
      '1'.repeat(21),
    ])}${
      r.below(4) === 0
        ? `${r.pick(['.', ','])}${r.pick(['0', '0001', '001', '5', ''])}`
        : ''
    }`;
  for (let i = 0; i < 20_000; i++) {
    let value = `${r.below(15) === 0 ? '-' : ''}${r.below(30) ? 'P' : 'p'}`;
    for (const unit of 'YMWD') {
      value += r.below(4) === 0 ? `${number()}${unit}` : '';
    }
    if (r.below(2)) {
      value += 'T';
      for (const unit of 'HMS') {
        value += r.below(2) === 0 ? `${number()}${unit}` : '';
      }
    }
    yield value;
  }
  yield* ['P', 'PT', 'PT1H', 'PT0S', 'PT0.0001S', 'PT0.001S', '1 hour', ''];
}

function* dateTimeCandidates(seed: number) {
  const r = random(seed);
  const two = (max: number) => String(r.below(max)).padStart(2, '0');
  for (let i = 0; i < 20_000; i++) {
    const year = r.pick(['2030', '2032', '2100', '2000', '0000', '1999']);
    let value = `${year}-${two(14)}-${two(33)}${r.pick(['T', 't', ' '])}${two(
      26,
    )}:${two(62)}`;
    value += r.below(2) ? `:${two(62)}` : '';
    value += r.below(3) === 0 ? `.${r.text('0123456789', 1, 9)}` : '';
    value += r.pick([
      'Z',
      'z',
      '',
      `+${two(26)}:${two(62)}`,
      `-${two(26)}${two(62)}`,
      `+${two(26)}`,
    ]);
    yield value;
  }
}

/** The flow's duration check, on a flow that offers one hour: refused only when not a duration. */
const FLOW = TEST_ACCESS_CONFIG.flows[0] as unknown as AccessFlow;
function serverTakesDuration(duration: string): boolean {
  if (duration.length < 1 || duration.length > 64) {
    return false; // the zod schema's lengths
  }
  try {
    checkTiming(
      { ...FLOW, durations: ['PT1H'], maxDuration: 'P1D' } as AccessFlow,
      { items: [], duration },
      new Date(),
    );
    return true;
  } catch (error) {
    return !/is not an ISO-8601 duration/.test((error as Error).message);
  }
}

describe('openapi.yaml input patterns', () => {
  it('EntityRefInput accepts exactly the refs the server normalises', () => {
    expect(
      disagreements(
        entityRefCandidates(1),
        patternOf(schemas.EntityRefInput),
        ref =>
          accepts(() =>
            normaliseEntityRef(ref, { defaultKind: 'resource', field: 'x' }),
          ),
      ),
    ).toEqual([]);
  });

  it('UserRefInput accepts exactly the user refs the server takes as a grantee', () => {
    expect(
      disagreements(
        entityRefCandidates(2),
        patternOf(schemas.UserRefInput),
        ref =>
          accepts(() =>
            normaliseEntityRef(ref, {
              defaultKind: 'user',
              field: 'granteeRef',
              kinds: ['user'],
            }),
          ),
      ),
    ).toEqual([]);
  });

  it('the owner filter of /resources accepts exactly the owners the server takes (empty for any)', () => {
    expect(
      disagreements(
        entityRefCandidates(3),
        patternOf(ownerParameter.schema),
        ref =>
          ref === '' ||
          accepts(() =>
            normaliseEntityRef(ref, { defaultKind: 'group', field: 'owner' }),
          ),
      ),
    ).toEqual([]);
  });

  it('DurationInput accepts exactly the unsigned durations the server takes', () => {
    const pattern = patternOf(schemas.DurationInput);
    const found = disagreements(
      durationCandidates(4),
      pattern,
      serverTakesDuration,
      1_000_000,
    );
    expect(found.slice(0, 10)).toEqual([]);
  });

  it('DateTimeInput accepts exactly the date-times the server takes', () => {
    expect(
      disagreements(
        dateTimeCandidates(5),
        patternOf(schemas.DateTimeInput),
        endAt => extensionSchema.safeParse({ endAt }).success,
      ),
    ).toEqual([]);
  });
});

// ---- Requests: the document's verdict against the server's answer ----

const HOUR = 60 * 60 * 1000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };
const JUSTIFICATION = 'Investigate failed payouts in INC-42';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const items = (count: number, item: object = SANDBOX) =>
  Array.from({ length: count }, () => item);

/** What a case needs made first: requests in a given state, a cursor. */
interface Fixtures {
  /** A new request of dana's under 'owner-approval', waiting for lee. */
  pending(): Promise<string>;
  /** A new request of dana's under 'owner-approval', cancelled. */
  closed(): Promise<string>;
  /** A `nextCursor` the API issued for dana's requests. */
  requestsCursor(): Promise<string>;
}

/** A value, or one made from the fixtures when the case runs. */
type Made<T> = T | ((fx: Fixtures) => Promise<T>);

interface InputCase {
  name: string;
  /** `METHOD /path/{param}` as in the document. */
  route: string;
  /** The demo user who sends it (dana unless said). */
  as?: string;
  params?: Made<Record<string, string>>;
  query?: Made<Record<string, string | string[]>>;
  body?: Made<unknown>;
  /** The exact text of a JSON body. */
  raw?: string;
}

const post = (route: string, name: string, body: unknown): InputCase => ({
  name,
  route: `POST ${route}`,
  body,
});
const get = (
  route: string,
  name: string,
  query: Record<string, string | string[]>,
): InputCase => ({ name, route: `GET ${route}`, query });
const withId =
  (id: Made<string>) =>
  async (fx: Fixtures): Promise<Record<string, string>> => ({
    id: typeof id === 'string' ? id : await id(fx),
  });

/** Invalid by the document's schemas, so the server must refuse them with a 4xx. */
const DOCUMENT_REFUSES: InputCase[] = [
  // luxon reads signed components (`-PT-1H` is one hour); the server refuses signs too.
  post('/requests', "duration '-PT-1H'", {
    items: [SANDBOX],
    duration: '-PT-1H',
  }),
  post('/requests', "duration 'PT2H-60M'", {
    items: [SANDBOX],
    duration: 'PT2H-60M',
  }),
  // POST /requests: types, unknown fields, counts, lengths (from badInput.test.ts)
  post('/requests', 'items as a string', { items: 'payments-db' }),
  post('/requests', 'permission as a number', {
    items: [{ resourceRef: 'sandbox', permission: 7 }],
  }),
  post('/requests', 'justification as an object', {
    items: [DB_READ],
    justification: { text: JUSTIFICATION },
  }),
  post('/requests', 'resourceRef as null', {
    items: [{ resourceRef: null, permission: 'use' }],
  }),
  post('/requests', 'ticket as a string', { items: [DB_READ], ticket: 'I-1' }),
  post('/requests', 'granteeRef as an array', {
    items: [SANDBOX],
    granteeRef: ['user:default/sam'],
  }),
  post('/requests', 'duration as a number', { items: [SANDBOX], duration: 3 }),
  post('/requests', 'answers as an array', { items: [SANDBOX], answers: [] }),
  post('/requests', 'unknown top-level field', {
    items: [SANDBOX],
    isAdmin: true,
  }),
  post('/requests', 'unknown field in an item', {
    items: [{ ...SANDBOX, role: 'owner' }],
  }),
  post('/requests', 'unknown field in the bundle', {
    bundle: { id: 'payments-oncall', force: true },
  }),
  post('/requests', 'unknown field in the ticket', {
    items: [DB_READ],
    justification: JUSTIFICATION,
    ticket: { id: 'INC-42', url: 'https://example.com' },
  }),
  post('/requests', '1,001 items', { items: items(1_001) }),
  post('/requests', 'empty items and no bundle', { items: [] }),
  post('/requests', 'empty object', {}),
  post('/requests', 'a bundle with an empty item list', {
    bundle: { id: 'payments-oncall', items: [] },
  }),
  post('/requests', 'justification of 4,001 characters', {
    items: [DB_READ],
    justification: 'x'.repeat(4_001),
  }),
  post('/requests', 'resourceRef of 256 characters', {
    items: [{ resourceRef: 'r'.repeat(256), permission: 'read' }],
  }),
  post('/requests', 'answer of 2,001 characters', {
    items: [{ resourceRef: 'warehouse', permission: 'read' }],
    ticket: { type: 'incident', id: 'INC-7' },
    answers: { scope: 'y'.repeat(2_001) },
  }),
  post('/requests', 'ticket without an id', {
    items: [DB_READ],
    justification: JUSTIFICATION,
    ticket: {},
  }),
  // Entity refs, durations and times: the patterns.
  ...['a:b:c/d', 'user:', '/', 'x y', '<script>alert(1)</script>'].map(ref =>
    post('/requests', `resourceRef ${JSON.stringify(ref)}`, {
      items: [{ resourceRef: ref, permission: 'read' }],
    }),
  ),
  post('/requests', 'resourceRef with an upper-case namespace', {
    items: [{ resourceRef: 'resource:Default/sandbox', permission: 'use' }],
  }),
  post('/requests', 'granteeRef that is a group', {
    items: [SANDBOX],
    granteeRef: 'group:default/payments',
  }),
  post('/requests', 'granteeRef that is not a ref', {
    items: [SANDBOX],
    granteeRef: 'x y',
  }),
  post('/requests', 'bundle item with a malformed ref', {
    bundle: {
      id: 'payments-oncall',
      items: [{ resourceRef: 'a:b:c/d', permission: 'read' }],
    },
  }),
  ...['P', 'PT', 'PT-1H', '1 hour', '', 'PT0S', 'pt1h'].map(duration =>
    post('/requests', `duration '${duration}'`, { items: [SANDBOX], duration }),
  ),
  post('/requests', 'duration together with endAt', {
    items: [SANDBOX],
    duration: 'PT1H',
    endAt: at(HOUR),
  }),
  ...[
    'tomorrow',
    '2030-01-01T00:00:00+99:99',
    '2030-01-01T00:00:00+24:00',
    '2030-02-30T10:00:00Z',
    '2030-01-01 10:00:00Z',
  ].map(startAt =>
    post('/requests', `startAt '${startAt}'`, {
      items: [DB_READ],
      justification: JUSTIFICATION,
      startAt,
    }),
  ),
  {
    ...post('/requests', 'answers with a __proto__ key', undefined),
    raw: '{"items":[{"resourceRef":"sandbox","permission":"use"}],"answers":{"__proto__":{"polluted":"yes"}}}',
  },
  {
    ...post('/requests', 'top-level __proto__ key', undefined),
    raw: '{"__proto__":{"isAdmin":true},"items":[{"resourceRef":"sandbox","permission":"use"}]}',
  },
  {
    ...post('/requests', '__proto__ key in an item', undefined),
    raw: '{"items":[{"resourceRef":"sandbox","permission":"use","__proto__":{"polluted":"yes"}}]}',
  },
  { ...post('/requests', 'malformed JSON', undefined), raw: '{"items": [' },
  post('/requests', 'body that is an array', [SANDBOX]),
  { ...post('/requests', 'body that is a JSON string', undefined), raw: '"x"' },

  // POST /flows/match
  post('/flows/match', 'no items', {}),
  post('/flows/match', 'empty items', { items: [] }),
  post('/flows/match', '1,001 items', { items: items(1_001) }),
  post('/flows/match', 'unknown field', { items: [SANDBOX], flowId: 'x' }),
  post('/flows/match', 'permission as a number', {
    items: [{ resourceRef: 'sandbox', permission: 1 }],
  }),
  post('/flows/match', 'malformed resourceRef', {
    items: [{ resourceRef: 'a:b:c/d', permission: 'read' }],
  }),
  post('/flows/match', 'granteeRef that is a group', {
    items: [SANDBOX],
    granteeRef: 'group:default/payments',
  }),

  // Decisions
  ...(
    [
      ['approve', 'not-a-uuid'],
      ['reject', "1' OR '1'='1"],
      ['cancel', '42'],
      ['revoke', 'x'],
    ] as const
  ).map(([decision, id]) => ({
    name: `id ${JSON.stringify(id)}`,
    route: `POST /requests/{id}/${decision}`,
    as: decision === 'approve' || decision === 'reject' ? 'lee' : 'dana',
    params: withId(id),
  })),
  {
    name: 'unknown field in the body',
    route: 'POST /requests/{id}/approve',
    as: 'lee',
    params: withId(fx => fx.pending()),
    body: { reason: 'ok', decision: 'approve' },
  },
  ...(['reject', 'cancel'] as const).map(decision => ({
    name: 'reason of 125 characters',
    route: `POST /requests/{id}/${decision}`,
    as: decision === 'reject' ? 'lee' : 'dana',
    params: withId(fx => fx.pending()),
    body: { reason: 'r'.repeat(125) },
  })),
  {
    name: 'reason as a number',
    route: 'POST /requests/{id}/reject',
    as: 'lee',
    params: withId(fx => fx.pending()),
    body: { reason: 42 },
  },
  {
    name: 'body that is an array',
    route: 'POST /requests/{id}/reject',
    as: 'lee',
    params: withId(fx => fx.pending()),
    body: ['no'],
  },
  {
    name: 'malformed JSON body',
    route: 'POST /requests/{id}/approve',
    as: 'lee',
    params: withId(fx => fx.pending()),
    raw: '{"reason":',
  },

  // Other ids and bodies
  { name: 'id not a uuid', route: 'GET /requests/{id}', params: withId('x') },
  ...['{}', '{"duration":""}', '{"duration":"PT0S"}'].map(raw => ({
    name: `body ${raw}`,
    route: 'POST /requests/{id}/extend',
    params: withId(UNKNOWN_ID),
    raw,
  })),
  {
    name: 'both duration and endAt',
    route: 'POST /requests/{id}/extend',
    params: withId(UNKNOWN_ID),
    body: { duration: 'PT1H', endAt: at(HOUR) },
  },
  {
    name: 'unknown field (items may not change)',
    route: 'POST /requests/{id}/request-again',
    params: withId(fx => fx.closed()),
    body: { justification: JUSTIFICATION, items: [SANDBOX] },
  },
  post('/favorites', 'requestId not a uuid', { requestId: 'x' }),
  {
    name: 'blank name',
    route: 'POST /favorites',
    body: async (fx: Fixtures) => ({
      requestId: await fx.closed(),
      name: '   ',
    }),
  },
  {
    name: 'id not a uuid',
    route: 'DELETE /favorites/{id}',
    params: withId('x'),
  },
  {
    name: 'id not a uuid',
    route: 'POST /favorites/{id}/request',
    params: withId('x'),
  },
  {
    name: 'id not a uuid',
    route: 'POST /grants/{id}/credentials/reveal',
    params: withId('x'),
  },
  {
    name: 'note of 501 characters',
    route: 'POST /tasks/{id}/complete',
    params: withId(UNKNOWN_ID),
    body: { note: 'n'.repeat(501) },
  },
  post('/justification/feedback', 'missing text', {}),
  post('/justification/feedback', 'text as a number', { text: 42 }),
  post('/justification/feedback', 'text of 4,001 characters', {
    text: 'w'.repeat(4_001),
  }),
  post('/justification/feedback', 'unknown field', { text: 'x', score: 1 }),
  post('/justification/feedback', 'unknown field in the ticket', {
    text: 'x',
    ticket: { id: 'INC-42', priority: 'P1' },
  }),

  // Query parameters
  get('/requests', 'unknown view', { view: 'everything' }),
  get('/requests', 'view given twice', { view: ['mine', 'all'] }),
  get('/requests', 'unknown status', { status: 'granting,approved' }),
  ...['0', '-1', 'abc', '100000', '1.5'].map(limit =>
    get('/requests', `limit ${limit}`, { limit }),
  ),
  get('/requests', 'cursor of 2,000 characters', { cursor: 'c'.repeat(2_000) }),
  get('/requests', 'unknown parameter', { owner: 'dana' }),
  get('/resources', 'limit 0', { limit: '0' }),
  get('/resources', "owner 'a:b:c/d'", { owner: 'a:b:c/d' }),
  get('/resources', "owner 'x y'", { owner: 'x y' }),
  get('/resources', 'q of 201 characters', { q: 'q'.repeat(201) }),
  get('/resources', 'unknown parameter', { view: 'mine' }),
  get('/inbox', 'unknown state', { state: 'all' }),
  get('/inbox', 'limit -1', { limit: '-1' }),
  get('/tasks', 'unknown state', { state: 'all' }),
  get('/bundles', 'limit 501', { limit: '501' }),
  get('/favorites', 'unknown parameter', { view: 'mine' }),
  get('/admin/reconciliation', 'limit 0', { limit: '0' }),
];

/** Valid by the document, so the server must serve them. */
const DOCUMENT_ACCEPTS: InputCase[] = [
  post('/flows/match', 'refs in other cases, grantee by name', {
    items: [{ resourceRef: 'Resource:default/sandbox', permission: 'use' }],
    granteeRef: 'User:sam',
  }),
  post('/flows/match', 'ref with a namespace and no kind', {
    items: [{ resourceRef: 'default/payments-db', permission: 'read' }],
  }),
  post('/requests', 'one item', { items: [SANDBOX] }),
  post('/requests', 'a duration written in minutes', {
    items: [SANDBOX],
    duration: 'PT60M',
  }),
  post('/requests', 'on behalf of namespace/name', {
    items: [SANDBOX],
    granteeRef: 'default/sam',
  }),
  post('/requests', 'part of a bundle', {
    bundle: { id: 'payments-oncall', items: [SANDBOX] },
  }),
  post('/requests', 'an end with an offset', {
    items: [DB_READ],
    justification: JUSTIFICATION,
    endAt: new Date(Date.now() + 2 * HOUR)
      .toISOString()
      .replace(/\.\d+Z$/, '+00:00'),
  }),
  {
    name: 'reason of 124 characters',
    route: 'POST /requests/{id}/reject',
    as: 'lee',
    params: withId(fx => fx.pending()),
    body: { reason: 'r'.repeat(124) },
  },
  {
    name: 'no body',
    route: 'POST /requests/{id}/approve',
    as: 'lee',
    params: withId(fx => fx.pending()),
  },
  {
    name: 'an empty reason',
    route: 'POST /requests/{id}/cancel',
    params: withId(fx => fx.pending()),
    body: { reason: '' },
  },
  {
    name: 'a justification',
    route: 'POST /requests/{id}/request-again',
    params: withId(fx => fx.closed()),
    body: { justification: JUSTIFICATION },
  },
  {
    name: 'a padded name',
    route: 'POST /favorites',
    body: async (fx: Fixtures) => ({
      requestId: await fx.closed(),
      name: ' Payments ',
    }),
  },
  get('/requests', 'largest page, approver view, two statuses', {
    limit: '500',
    view: 'approver',
    status: 'active,expired',
  }),
  get('/requests', 'q', { q: 'payouts' }),
  {
    name: 'a cursor the API issued',
    route: 'GET /requests',
    query: async fx => ({ cursor: await fx.requestsCursor(), limit: '1' }),
  },
  get('/resources', 'owner with kind and namespace', {
    owner: 'Group:default/payments',
  }),
  get('/resources', 'empty owner', { owner: '' }),
  get('/inbox', 'decided', { state: 'decided', limit: '1' }),
  get('/bundles', 'limit 1', { limit: '1' }),
  get('/tasks', 'done', { state: 'done' }),
  get('/favorites', 'limit 500', { limit: '500' }),
  post('/justification/feedback', 'empty text', { text: '' }),
  post('/justification/feedback', 'empty ticket', { text: 'x', ticket: {} }),
];

/**
 * Inputs the server accepts although the document refuses them: server bugs, pinned so that this
 * test says when they are fixed (then move the case to DOCUMENT_REFUSES).
 */

const made = async <T>(value: Made<T> | undefined, fx: Fixtures) =>
  typeof value === 'function'
    ? (value as (fx: Fixtures) => Promise<T>)(fx)
    : value;

describe('openapi.yaml and the server agree on which requests are valid', () => {
  const databases = createAccessTestDatabases();

  it('has distinct cases', () => {
    const names = [...DOCUMENT_REFUSES, ...DOCUMENT_ACCEPTS].map(
      c => `${c.route}: ${c.name}`,
    );
    expect(new Set(names).size).toBe(names.length);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let backend: Awaited<ReturnType<typeof startAccessBackend>>;
    let fx: Fixtures;

    beforeAll(async () => {
      backend = await startAccessBackend({
        knex: await databases.init(databaseId),
        // The cases submit far more than a user may in a minute.
        access: { ...TEST_ACCESS_CONFIG, rateLimits: { enabled: false } },
      });
      const dana = backend.as('dana');
      const pending = async () => {
        const res = await dana.post('/requests', {
          items: [DB_READ],
          justification: JUSTIFICATION,
        });
        if (res.status !== 201) {
          throw new Error(`setup: submit gave ${res.status} ${res.text}`);
        }
        return res.body.requests[0].id as string;
      };
      fx = {
        pending,
        closed: async () => {
          const id = await pending();
          const res = await dana.post(`/requests/${id}/cancel`);
          if (res.status !== 200) {
            throw new Error(`setup: cancel gave ${res.status} ${res.text}`);
          }
          return id;
        },
        requestsCursor: async () => {
          await pending();
          await pending();
          const res = await dana.get('/requests?limit=1');
          if (!res.body.nextCursor) {
            throw new Error(`setup: no cursor in ${res.text}`);
          }
          return res.body.nextCursor;
        },
      };
    }, 60_000);

    /** Sends a case; answers the document's problems with it and the server's answer. */
    const run = async (c: InputCase) => {
      const [method, path] = c.route.split(' ');
      const params = (await made(c.params, fx)) ?? {};
      const query = (await made(c.query, fx)) ?? {};
      const body = await made(c.body, fx);
      const problems = invalidRequest(method, path, {
        params,
        query,
        body,
        raw: c.raw,
      });

      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) {
        for (const one of [value].flat()) {
          search.append(name, one);
        }
      }
      const url = `/api/access${path.replace(/\{(\w+)\}/g, (_, name) =>
        encodeURIComponent(params[name]),
      )}${search.size > 0 ? `?${search}` : ''}`;
      let req = request(backend.server)
        [method.toLowerCase() as 'get' | 'post' | 'delete'](url)
        .set(
          'authorization',
          mockCredentials.user.header(`user:default/${c.as ?? 'dana'}`),
        );
      if (c.raw !== undefined) {
        req = req.set('content-type', 'application/json').send(c.raw);
      } else if (body !== undefined) {
        req = req.send(body as object);
      }
      const res = await req;
      return {
        document: problems.length === 0 ? 'accepts' : 'refuses',
        server:
          res.status >= 400 && res.status < 500
            ? 'refuses'
            : `answers ${res.status}`,
        problems,
        answer: res.body?.error?.message ?? res.status,
      };
    };

    it.each(DOCUMENT_REFUSES)('refused by both: $route: $name', async c => {
      expect(await run(c)).toMatchObject({
        document: 'refuses',
        server: 'refuses',
      });
    });

    it.each(DOCUMENT_ACCEPTS)('accepted by both: $route: $name', async c => {
      const verdict = await run(c);
      expect(verdict).toMatchObject({
        document: 'accepts',
        server: expect.stringMatching(/^answers 20[014]$/),
      });
    });
  });
});
