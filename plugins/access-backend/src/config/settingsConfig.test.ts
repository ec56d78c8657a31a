import { baseFlow, issuesOf, read } from './__testUtils__/readAccess';

describe('readAccessConfig: engine, credentials and trust', () => {
  it('validates the engine and credentials sections, and leaves module sections to the modules', () => {
    expect(() =>
      read({
        engine: { retry: { maxAttempts: 0 }, callTimeout: 'soon' },
        credentials: { encryptionKey: 'short' },
      }),
    ).toThrow(
      /access\.engine\.retry\.maxAttempts: [\s\S]*access\.engine\.callTimeout: [\s\S]*access\.credentials\.encryptionKey: must be at least 32 characters long/,
    );
    expect(() => read({ engine: { enable: false } })).toThrow(
      'access.engine.enable: Unknown field',
    );
    expect(
      read({ webhook: { endpoints: [] }, postgres: {}, manual: {} }).flows,
    ).toEqual([]);
  });

  it('reads per-provisioner call timeouts, refusing a bad one with its path', () => {
    expect(read({}).engine.callTimeouts).toEqual({});
    expect(
      read({ engine: { callTimeouts: { webhook: 'PT5S', postgres: 'PT2M' } } })
        .engine.callTimeouts,
    ).toEqual({ webhook: 'PT5S', postgres: 'PT2M' });
    expect(() =>
      read({ engine: { callTimeouts: { webhook: 'soon' } } }),
    ).toThrow(
      /access\.engine\.callTimeouts\.webhook: Invalid ISO-8601 duration 'soon'/,
    );
  });

  it('reads which catalog entities the operator accepts, and which flows match catalog entities', () => {
    const automatic = (id: string, more: object = {}) =>
      baseFlow({ id, approval: { stages: [] }, ...more });
    const config = read({
      trust: {
        catalogResources: [
          {
            integration: 'postgres',
            refs: ['payments-db', 'Resource:Team-A/ledger-*'],
            namespaces: ['Payments'],
            types: ['database'],
          },
        ],
        automaticFlowsMatchCatalog: true,
      },
      flows: [
        automatic('auto'),
        automatic('auto-closed', { allowCatalogResources: false }),
        baseFlow({
          id: 'approved',
          approval: { stages: [{ approvers: ['owners'] }] },
        }),
      ],
    });
    expect(config.trust).toEqual({
      catalogResources: [
        {
          integration: 'postgres',
          resourceRefs: [
            'resource:default/payments-db',
            'resource:team-a/ledger-*',
          ],
          namespaces: ['payments'],
          resourceTypes: ['database'],
        },
      ],
    });
    expect(config.flows.map(f => [f.id, f.allowCatalogResources])).toEqual([
      ['auto', true],
      ['auto-closed', false],
      ['approved', undefined],
    ]);
    // Without automaticFlowsMatchCatalog an automatic flow says nothing, so it does not match.
    expect(
      read({ flows: [automatic('auto')] }).flows[0].allowCatalogResources,
    ).toBeUndefined();
  });

  describe('rejects', () => {
    it('catalog acceptances that accept by type alone, or name no integration', () => {
      expect(
        issuesOf({
          trust: {
            catalogResources: [
              { integration: 'manual', types: ['database'] },
              { refs: ['a b'] },
            ],
          },
        }),
      ).toEqual([
        'access.trust.catalogResources[0]: must name refs or namespaces: an entity chooses its own type, so types only narrow what refs and namespaces accept',
        'access.trust.catalogResources[1].integration: Required',
        "access.trust.catalogResources[1].refs[0]: 'a b' is not an entity ref or pattern of the form [kind:][namespace/]name, where * stands for any characters",
      ]);
    });
  });
});
