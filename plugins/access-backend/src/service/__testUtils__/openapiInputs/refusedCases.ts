import {
  at,
  DB_READ,
  Fixtures,
  get,
  HOUR,
  InputCase,
  items,
  JUSTIFICATION,
  post,
  SANDBOX,
  UNKNOWN_ID,
  withId,
} from './shared';

/** Invalid by the document's schemas, so the server must refuse them with a 4xx. */
export const DOCUMENT_REFUSES: InputCase[] = [
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
  get('/suggestions', 'no q', {}),
  get('/suggestions', 'empty q', { q: '' }),
  get('/suggestions', 'blank q', { q: '   ' }),
  get('/suggestions', 'q of 501 characters', { q: 'q'.repeat(501) }),
  ...['0', '21', '1.5', 'abc'].map(limit =>
    get('/suggestions', `limit ${limit}`, { q: 'payments', limit }),
  ),
  get('/suggestions', 'unknown parameter', { q: 'payments', view: 'mine' }),
  get('/inbox', 'unknown state', { state: 'all' }),
  get('/inbox', 'limit -1', { limit: '-1' }),
  get('/tasks', 'unknown state', { state: 'all' }),
  get('/bundles', 'limit 501', { limit: '501' }),
  get('/favorites', 'unknown parameter', { view: 'mine' }),
  get('/admin/reconciliation', 'limit 0', { limit: '0' }),
];
