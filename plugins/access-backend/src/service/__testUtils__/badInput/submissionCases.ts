/* Bad input to POST /requests: types, fields, sizes, refs, times, flows and the body itself. */
import {
  at,
  BadInput,
  DB_READ,
  HOUR,
  items,
  JUSTIFICATION,
  notARef,
  SANDBOX,
  XSS,
} from './shared';

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

export const SUBMISSION_CASES: BadInput[] = [
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
];
