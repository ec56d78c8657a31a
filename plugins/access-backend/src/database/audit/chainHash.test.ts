import { payloadOf } from './__testUtils__/chainFixtures';
import { eventToRow } from './auditRows';
import { LinkContent, linkText, UNKEYED_SCHEME } from './chainHash';

/** The text a link covers, as the chain tests build it independently from the stored row. */
const documentedText = (prevHash: string | null, event: LinkContent) =>
  payloadOf(eventToRow(event, prevHash, '', UNKEYED_SCHEME), prevHash);

describe('linkText', () => {
  const at = new Date('2026-12-05T10:11:12.345Z');
  it.each<[string, string | null, LinkContent]>([
    [
      'a system event without a request',
      null,
      { actorRef: 'system', action: 'chain-keyed', at },
    ],
    [
      'a move with a reason',
      'ab'.repeat(32),
      {
        requestId: 'c0ffee00-0000-4000-8000-000000000001',
        actorRef: 'system',
        action: 'expire',
        fromStatus: 'active',
        toStatus: 'revoking',
        details: { reason: 'Access ended' },
        at,
      },
    ],
    [
      'details with unsorted, nested and non-ASCII content',
      'ff'.repeat(32),
      {
        requestId: 'r-1',
        actorRef: 'user:default/zoë',
        action: 'reject',
        fromStatus: 'pending_approval',
        toStatus: 'rejected',
        details: {
          zeta: [3, { b: 'two', a: 'one' }],
          reason: 'Nicht nötig — "quoted"\nnew line \u2028',
          alpha: null,
          count: 1.5,
          ok: true,
        },
        at,
      },
    ],
    [
      'a to-status without a from-status',
      null,
      {
        requestId: 'r-2',
        actorRef: 'user:default/dana',
        action: 'submit',
        toStatus: 'pending_approval',
        details: {},
        at,
      },
    ],
  ])(
    'writes %s as the canonical JSON of the documented payload',
    (_, prevHash, event) => {
      expect(linkText(prevHash, event)).toBe(documentedText(prevHash, event));
    },
  );
});
