import { issuesOf } from './__testUtils__/readAccess';

describe('readAccessConfig: resources and bundles', () => {
  describe('rejects', () => {
    it('a duplicate bundle id', () => {
      const bundle = {
        id: 'oncall',
        title: 'On-call',
        items: [{ resource: 'payments-db', permission: 'read' }],
      };
      expect(issuesOf({ bundles: [bundle, bundle] })).toEqual([
        "access.bundles[1] (id 'oncall').id: Duplicate bundle id 'oncall' (also used by access.bundles[0])",
      ]);
    });

    it('a bundle with no items', () => {
      expect(
        issuesOf({ bundles: [{ id: 'empty', title: 'Empty', items: [] }] }),
      ).toEqual([
        "access.bundles[0] (id 'empty').items: Must contain at least one entry",
      ]);
    });

    it('a bundle item with a bad resource ref', () => {
      expect(
        issuesOf({
          bundles: [
            {
              id: 'b',
              title: 'B',
              items: [{ resource: ':db', permission: 'read' }],
            },
          ],
        }),
      ).toEqual([
        "access.bundles[0] (id 'b').items[0].resource: Invalid entity ref ':db': expected [<kind>:][<namespace>/]<name>",
      ]);
    });

    it('a duplicate resource ref, compared after normalisation', () => {
      const resource = {
        title: 'DB',
        type: 'database',
        integration: 'postgres',
        permissions: ['read'],
        owners: ['dba'],
      };
      expect(
        issuesOf({
          resources: [
            { ...resource, ref: 'payments-db' },
            { ...resource, ref: 'resource:default/payments-db' },
          ],
        }),
      ).toEqual([
        "access.resources[1] (ref 'resource:default/payments-db').ref: Duplicate resource ref 'resource:default/payments-db' (also used by access.resources[0])",
      ]);
    });

    it('a resource without permissions and with a component owner', () => {
      expect(
        issuesOf({
          resources: [
            {
              ref: 'payments-db',
              title: 'DB',
              type: 'database',
              integration: 'postgres',
              permissions: [],
              owners: ['component:payments'],
            },
          ],
        }),
      ).toEqual([
        "access.resources[0] (ref 'payments-db').permissions: Must contain at least one entry",
        "access.resources[0] (ref 'payments-db').owners[0]: Entity ref 'component:payments' has kind 'component', expected one of: user, group",
      ]);
    });
  });
});
