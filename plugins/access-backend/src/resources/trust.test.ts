import { AccessResource } from '@jit-access/plugin-access-common';
import { AccessProvisioner } from '@jit-access/plugin-access-node';
import { CatalogTrust, judgeResource } from './trust';

function resource(overrides: Partial<AccessResource> = {}): AccessResource {
  return {
    ref: 'resource:default/payments-db',
    title: 'Payments DB',
    type: 'database',
    integration: 'hooks',
    permissions: ['read', 'admin'],
    owners: ['group:default/payments'],
    tags: [],
    source: 'catalog',
    ...overrides,
  };
}

function provisioner(serves?: AccessProvisioner['serves']): AccessProvisioner {
  return {
    id: 'hooks',
    ...(serves && { serves }),
    grant: async () => {},
    revoke: async () => {},
  };
}

const none: CatalogTrust = { catalogResources: [] };

function judge(
  r: AccessResource,
  p: AccessProvisioner | undefined,
  trust: CatalogTrust = none,
) {
  return judgeResource(r, new Map(p ? [[p.id, p]] : []), trust);
}

describe('judgeResource', () => {
  it('trusts resources from config and from discovery as they are', () => {
    for (const source of ['config', 'provisioner'] as const) {
      const r = resource({ source });
      expect(judge(r, undefined)).toBe(r);
    }
  });

  it('refuses a catalog entity by default: no provisioner, or one that accepts no catalog entities', () => {
    expect(judge(resource(), undefined).unrequestableReason).toBe(
      "no provisioner 'hooks' is installed, and access.trust.catalogResources accepts no catalog entities for it",
    );
    expect(
      judge(resource(), provisioner({ resourceTypes: ['database'] }))
        .unrequestableReason,
    ).toBe(
      "provisioner 'hooks' accepts no catalog entities, and access.trust.catalogResources accepts none for it",
    );
  });

  it('accepts what the provisioner accepts by ref, pattern or namespace, and nothing else', () => {
    const byRef = provisioner({
      catalog: { resourceRefs: ['resource:default/payments-db'] },
    });
    const byPattern = provisioner({
      catalog: { resourceRefs: ['resource:default/pay*'] },
    });
    const byNamespace = provisioner({ catalog: { namespaces: ['payments'] } });

    expect(judge(resource(), byRef).unrequestableReason).toBeUndefined();
    expect(judge(resource(), byPattern).unrequestableReason).toBeUndefined();
    expect(
      judge(resource({ ref: 'resource:payments/ledger' }), byNamespace)
        .unrequestableReason,
    ).toBeUndefined();

    const other = resource({ ref: 'resource:default/planted' });
    for (const p of [byRef, byPattern, byNamespace]) {
      expect(judge(other, p).unrequestableReason).toBe(
        "provisioner 'hooks' does not accept this catalog entity",
      );
    }
    // A pattern's * stays within its part of the ref.
    expect(
      judge(
        resource({ ref: 'resource:payments/pay-db' }),
        provisioner({ catalog: { resourceRefs: ['resource:default/*'] } }),
      ).unrequestableReason,
    ).toBeDefined();
  });

  it('narrows by type and permissions, and a provisioner-wide type limit applies too', () => {
    expect(
      judge(
        resource(),
        provisioner({
          catalog: { namespaces: ['default'] },
          resourceTypes: ['app'],
        }),
      ).unrequestableReason,
    ).toBe("provisioner 'hooks' serves no resources of type 'database'");
    expect(
      judge(
        resource(),
        provisioner({
          catalog: { namespaces: ['default'], resourceTypes: ['app'] },
        }),
      ).unrequestableReason,
    ).toBe(
      "provisioner 'hooks' does not accept catalog entities of type 'database'",
    );
    expect(
      judge(
        resource(),
        provisioner({
          catalog: { namespaces: ['default'] },
          permissions: ['read'],
        }),
      ),
    ).toMatchObject({ permissions: ['read'] });
    expect(
      judge(
        resource(),
        provisioner({
          catalog: { namespaces: ['default'] },
          permissions: ['member'],
        }),
      ).unrequestableReason,
    ).toBe("provisioner 'hooks' serves none of its permissions (read, admin)");
  });

  it('accepts what the operator accepts, within what the provisioner serves', () => {
    const trust: CatalogTrust = {
      catalogResources: [
        {
          integration: 'hooks',
          resourceRefs: ['resource:default/payments-db'],
        },
      ],
    };
    expect(judge(resource(), undefined, trust).unrequestableReason).toBe(
      undefined,
    );
    expect(
      judge(resource(), provisioner({ permissions: ['read'] }), trust),
    ).toMatchObject({ permissions: ['read'] });
    expect(
      judge(
        resource(),
        provisioner({ resourceTypes: ['app'], permissions: ['read'] }),
        trust,
      ).unrequestableReason,
    ).toBe("provisioner 'hooks' serves no resources of type 'database'");
    expect(
      judge(resource({ integration: 'other' }), undefined, trust)
        .unrequestableReason,
    ).toMatch(/no provisioner 'other' is installed/);
  });
});
