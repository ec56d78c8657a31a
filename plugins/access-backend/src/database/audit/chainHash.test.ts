import { canonicalJson, JsonValue, LinkContent, linkText } from './chainHash';

/** The text a link covers, the general way: the payload's keys sorted by canonicalJson. */
function sortedText(prevHash: string | null, event: LinkContent): string {
  return canonicalJson({
    prevHash,
    requestId: event.requestId ?? null,
    actorRef: event.actorRef,
    action: event.action,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    details: (event.details ?? null) as JsonValue,
    at: event.at.toISOString(),
  });
}

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
  ])('writes %s as canonicalJson does', (_, prevHash, event) => {
    expect(linkText(prevHash, event)).toBe(sortedText(prevHash, event));
  });
});
