import { normaliseResourceRef, sameResourceRef } from './resourceRefs';

describe('resource refs', () => {
  it('normalises resource refs like the access plugin', () => {
    expect(normaliseResourceRef('payments-db')).toBe(
      'resource:default/payments-db',
    );
    expect(normaliseResourceRef('team-a/payments-db')).toBe(
      'resource:team-a/payments-db',
    );
    expect(normaliseResourceRef('Resource:default/payments-db')).toBe(
      'resource:default/payments-db',
    );
    expect(normaliseResourceRef('a:b:c/d')).toBeUndefined();
    expect(normaliseResourceRef('')).toBeUndefined();
  });

  it('compares refs as Backstage does, without regard to case', () => {
    expect(sameResourceRef('Payments-DB', 'resource:default/payments-db')).toBe(
      true,
    );
    expect(sameResourceRef('payments-db', 'ledger')).toBe(false);
  });
});
