import { ConflictError } from '@backstage/errors';
import { GrantState } from '@jit-access/plugin-access-common';
import { CLAIM_MOVES, REVOCATION_MOVES } from './GrantStore';
import { assertGrantMove, canMoveGrant } from './grantTransitions';

const STATES: GrantState[] = [
  'pending',
  'queued',
  'granting',
  'active',
  'revoking',
  'revoked',
  'expired',
  'failed',
  'cancelled',
];

/** Every allowed move; any pair not listed is refused. */
const ALLOWED: Array<[GrantState, GrantState]> = [
  ['pending', 'queued'],
  ['pending', 'cancelled'],
  ['queued', 'granting'],
  ['queued', 'cancelled'],
  ['granting', 'active'],
  ['granting', 'failed'],
  ['granting', 'revoking'],
  ['granting', 'cancelled'],
  ['active', 'revoking'],
  ['revoking', 'expired'],
  ['revoking', 'revoked'],
  ['revoking', 'failed'],
  ['expired', 'revoking'],
  ['revoked', 'revoking'],
  ['cancelled', 'revoking'],
];

const allowed = new Set(ALLOWED.map(([from, to]) => `${from}>${to}`));
const pairs = STATES.flatMap(from =>
  STATES.filter(to => to !== from).map(to => [from, to] as const),
);

const refused = pairs.filter(([from, to]) => !allowed.has(`${from}>${to}`));

describe('grant transitions', () => {
  it.each(ALLOWED)('allows %s -> %s', (from, to) => {
    expect(canMoveGrant(from, to)).toBe(true);
    expect(() => assertGrantMove('g1', from, to)).not.toThrow();
  });

  it.each(refused)('refuses %s -> %s with a conflict', (from, to) => {
    expect(canMoveGrant(from, to)).toBe(false);
    expect(() => assertGrantMove('g1', from, to)).toThrow(ConflictError);
    expect(() => assertGrantMove('g1', from, to)).toThrow(
      `Grant g1 cannot move from ${from} to ${to}`,
    );
  });

  it('lists every pair of states as allowed or refused', () => {
    expect(ALLOWED.length + refused.length).toBe(pairs.length);
  });

  it('lets a grant stay in its state (a retry), which is no move', () => {
    for (const state of STATES) {
      expect(() => assertGrantMove('g1', state, state)).not.toThrow();
    }
  });

  it('a failed grant goes nowhere', () => {
    expect(STATES.filter(to => canMoveGrant('failed', to))).toEqual([]);
  });

  it('allows every move the bulk statements make', () => {
    for (const [from, to] of [
      ...Object.entries(CLAIM_MOVES),
      ...Object.entries(REVOCATION_MOVES),
    ]) {
      expect(canMoveGrant(from as GrantState, to)).toBe(true);
    }
  });
});
