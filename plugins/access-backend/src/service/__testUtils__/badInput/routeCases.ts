/*
 * Bad input to the other routes: flow matching, decisions, the lists and their queries, and
 * justification feedback.
 */
import {
  BadInput,
  base64url,
  Fixtures,
  items,
  JUSTIFICATION,
  notARef,
  SANDBOX,
  UNKNOWN_ID,
} from './shared';

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

export const ROUTE_CASES: BadInput[] = [
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

  // GET /suggestions
  query('no q', '/suggestions', /^Invalid query: q: Required$/),
  query(
    'blank q',
    '/suggestions?q=%20%20',
    /^Invalid query: q: q must describe what you need$/,
  ),
  query(
    'q of 501 characters',
    `/suggestions?q=${'q'.repeat(501)}`,
    /^Invalid query: q: q is at most 500 characters$/,
  ),
  query(
    'limit 21',
    '/suggestions?q=payments&limit=21',
    /^Invalid query: limit: limit must be at most 20$/,
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
