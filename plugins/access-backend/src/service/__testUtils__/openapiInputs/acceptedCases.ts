import {
  DB_READ,
  Fixtures,
  get,
  HOUR,
  InputCase,
  JUSTIFICATION,
  post,
  SANDBOX,
  withId,
} from './shared';

/** Valid by the document, so the server must serve them. */
export const DOCUMENT_ACCEPTS: InputCase[] = [
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
  get('/suggestions', 'q and limit 20', {
    q: 'read the payments database',
    limit: '20',
  }),
  get('/suggestions', 'q of 500 characters', { q: 'a'.repeat(500) }),
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
