import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readAccessConfig } from './accessConfig';

/** A minimal valid flow, to be varied by the invalid cases. */
function baseFlow(overrides: Record<string, unknown> = {}) {
  return {
    id: 'db-owner',
    title: 'Database owner',
    resources: { types: ['database'] },
    durations: ['PT1H'],
    ...overrides,
  };
}

function read(access: unknown) {
  return readAccessConfig(new ConfigReader({ access } as any));
}

/** The error message from reading `access`, failing the test if it does not throw. */
function errorOf(access: unknown): string {
  try {
    read(access);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid access configuration:\n/);
    return message;
  }
  throw new Error('expected readAccessConfig to throw');
}

/** The issue lines of the error message from reading `access`. */
function issuesOf(access: unknown): string[] {
  return errorOf(access).split('\n').slice(1);
}

function flowIssues(...flows: unknown[]): string[] {
  return issuesOf({ flows });
}

describe('readAccessConfig', () => {
  it('returns empty lists and the engine defaults when there is no access config', () => {
    const empty = {
      resources: [],
      bundles: [],
      flows: [],
      engine: {
        enabled: true,
        retry: { maxAttempts: 8, initialDelay: 'PT2S', maxDelay: 'PT5M' },
        callTimeout: 'PT60S',
        reconcileEvery: 'PT10M',
      },
      trust: { catalogResources: [] },
      rateLimits: {
        enabled: true,
        submissions: { limit: 60, window: 'PT1M' },
        decisions: { limit: 300, window: 'PT1M' },
      },
    };
    expect(readAccessConfig(new ConfigReader({}))).toEqual(empty);
    expect(read({})).toEqual(empty);
  });

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

  it('lets the section of any provisioner module pass without naming the module, and keeps it out of the core config', () => {
    const config = read({
      webhook: { endpoints: [] },
      postgres: {},
      manual: {},
      acmeVault: { url: 'https://vault.example.com', roles: ['reader'] },
      ldap: null,
      flows: [baseFlow()],
    });
    expect(config.flows.map(flow => flow.id)).toEqual(['db-owner']);
    expect(Object.keys(config).sort()).toEqual(
      ['bundles', 'engine', 'flows', 'rateLimits', 'resources', 'trust'].sort(),
    );
  });

  it('still validates the core sections strictly next to module sections', () => {
    expect(
      issuesOf({
        acmeVault: { anything: true },
        engine: { enable: false },
        trust: { catalogResource: [] },
      }),
    ).toEqual([
      'access.engine.enable: Unknown field',
      'access.trust.catalogResource: Unknown field',
    ]);
  });

  it('reads a full config, normalising refs and filling in defaults', () => {
    const result = read({
      resources: [
        {
          ref: 'payments-db',
          title: 'Payments database',
          type: 'database',
          integration: 'postgres',
          permissions: ['read', 'write'],
          owners: ['payments-team', 'user:lee', 'Group:Security/Auditors'],
          tags: ['pci'],
          description: 'The payments Postgres cluster',
        },
        {
          ref: 'resource:ops/billing-bucket',
          title: 'Billing bucket',
          type: 'bucket',
          integration: 's3',
          permissions: ['read'],
          owners: [],
        },
      ],
      bundles: [
        {
          id: 'payments-oncall',
          title: 'Payments on-call',
          description: 'Everything on-call needs',
          items: [
            { resource: 'payments-db', permission: 'read' },
            { resource: 'resource:ops/billing-bucket', permission: 'read' },
          ],
        },
        {
          id: 'minimal',
          title: 'Minimal',
          items: [{ resource: 'payments-db', permission: 'write' }],
        },
      ],
      flows: [
        {
          id: 'db-owner',
          title: 'Database owner',
          description: 'Write access to databases',
          requestors: ['dana', 'group:payments-team'],
          resources: {
            refs: ['payments-db', 'resource:ops/billing-bucket'],
            types: ['database'],
            integrations: ['postgres'],
            tags: ['pci'],
          },
          permissions: ['write'],
          durations: ['PT5S', 'PT1H', 'P1D'],
          maxDuration: 'P3D',
          approval: {
            stages: [
              { approvers: ['owners'], minApprovals: 2 },
              { approvers: ['security', 'user:riley'] },
            ],
            requireReason: 'both',
            allowSelfApproval: true,
          },
          justification: { required: true, minLength: 20 },
          ticket: {
            required: true,
            types: ['jira'],
            pattern: '^[A-Z]+-\\d+$',
          },
          questions: [
            { id: 'why', label: 'Why?', type: 'text', required: true },
            {
              id: 'env',
              label: 'Environment',
              type: 'choice',
              choices: ['staging', 'production'],
            },
          ],
          extension: { maxExtensions: 2, requiresApproval: false },
          pendingTimeout: 'PT12H',
          onBehalfOf: true,
          allowScheduledStart: true,
        },
        {
          id: 'read-only',
          title: 'Read only',
          resources: { tags: ['pci'], types: [] },
          durations: ['PT8H', 'P1D', 'PT30M'],
        },
      ],
    });

    expect(result.resources).toEqual([
      {
        ref: 'resource:default/payments-db',
        title: 'Payments database',
        type: 'database',
        description: 'The payments Postgres cluster',
        integration: 'postgres',
        permissions: ['read', 'write'],
        owners: [
          'group:default/payments-team',
          'user:default/lee',
          'group:security/auditors',
        ],
        tags: ['pci'],
        source: 'config',
      },
      {
        ref: 'resource:ops/billing-bucket',
        title: 'Billing bucket',
        type: 'bucket',
        integration: 's3',
        permissions: ['read'],
        owners: [],
        tags: [],
        source: 'config',
      },
    ]);
    expect(result.resources[1]).not.toHaveProperty('description');

    expect(result.bundles).toEqual([
      {
        id: 'payments-oncall',
        title: 'Payments on-call',
        description: 'Everything on-call needs',
        items: [
          { resourceRef: 'resource:default/payments-db', permission: 'read' },
          { resourceRef: 'resource:ops/billing-bucket', permission: 'read' },
        ],
      },
      {
        id: 'minimal',
        title: 'Minimal',
        items: [
          { resourceRef: 'resource:default/payments-db', permission: 'write' },
        ],
      },
    ]);
    expect(result.bundles[1]).not.toHaveProperty('description');

    expect(result.flows[0]).toEqual({
      id: 'db-owner',
      title: 'Database owner',
      description: 'Write access to databases',
      requestors: ['user:default/dana', 'group:default/payments-team'],
      resources: {
        refs: ['resource:default/payments-db', 'resource:ops/billing-bucket'],
        types: ['database'],
        integrations: ['postgres'],
        tags: ['pci'],
      },
      permissions: ['write'],
      durations: ['PT5S', 'PT1H', 'P1D'],
      maxDuration: 'P3D',
      approval: {
        stages: [
          { approvers: ['owners'], minApprovals: 2 },
          {
            approvers: ['group:default/security', 'user:default/riley'],
            minApprovals: 1,
          },
        ],
        requireReason: 'both',
        allowSelfApproval: true,
        allowSameApproverAcrossStages: false,
      },
      justification: { required: true, minLength: 20 },
      ticket: { required: true, types: ['jira'], pattern: '^[A-Z]+-\\d+$' },
      questions: [
        { id: 'why', label: 'Why?', type: 'text', required: true },
        {
          id: 'env',
          label: 'Environment',
          type: 'choice',
          choices: ['staging', 'production'],
          required: false,
        },
      ],
      extension: { maxExtensions: 2, requiresApproval: false },
      pendingTimeout: 'PT12H',
      onBehalfOf: true,
      allowScheduledStart: true,
    });

    // Every default filled in; empty selectors dropped; maxDuration the longest duration.
    expect(result.flows[1]).toStrictEqual({
      id: 'read-only',
      title: 'Read only',
      resources: { tags: ['pci'] },
      durations: ['PT8H', 'P1D', 'PT30M'],
      maxDuration: 'P1D',
      approval: {
        stages: [],
        requireReason: 'none',
        allowSelfApproval: false,
        allowSameApproverAcrossStages: false,
      },
      justification: { required: false, minLength: 0 },
      ticket: { required: false, types: [] },
      questions: [],
      extension: { maxExtensions: 0, requiresApproval: true },
      pendingTimeout: 'P7D',
      onBehalfOf: false,
      allowScheduledStart: false,
    });
  });

  it('reads access config merged from several config sources', () => {
    const config = ConfigReader.fromConfigs([
      { context: 'a', data: { access: { flows: [baseFlow()] } } },
      { context: 'b', data: { other: true } },
    ]);
    expect(readAccessConfig(config).flows.map(f => f.id)).toEqual(['db-owner']);
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

  it('accepts a maxDuration equal to the longest duration', () => {
    const [flow] = read({
      flows: [baseFlow({ durations: ['PT1H', 'PT2H'], maxDuration: 'PT2H' })],
    }).flows;
    expect(flow.maxDuration).toBe('PT2H');
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

    it('an access section that is not an object', () => {
      expect(issuesOf('yes')).toEqual([
        'access: Expected object, received string',
      ]);
    });

    it('an unknown field in a flow', () => {
      expect(flowIssues(baseFlow({ approvers: ['owners'] }))).toEqual([
        "access.flows[0] (id 'db-owner').approvers: Unknown field",
      ]);
    });

    it('an unknown nested field', () => {
      expect(
        flowIssues(
          baseFlow({
            approval: { stages: [{ approvers: ['owners'], min: 2 }] },
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').approval.stages[0].min: Unknown field",
      ]);
    });

    it('an unknown top-level section', () => {
      expect(issuesOf({ flow: [] })).toEqual(['access.flow: Unknown field']);
    });

    it('a top-level key that cannot be a module section: not an object', () => {
      expect(
        issuesOf({
          encryptionKey: 'a'.repeat(40),
          enabled: false,
          resources: [],
        }),
      ).toEqual([
        'access.encryptionKey: Unknown field',
        'access.enabled: Unknown field',
      ]);
    });

    it('an object under a key within two edits of a core key, as a likely typo', () => {
      expect(
        issuesOf({
          rateLimit: { enabled: false },
          Trust: { catalogResources: [] },
          credential: { encryptionKey: 'a'.repeat(40) },
          enigne: { enabled: false },
        }),
      ).toEqual([
        "access.rateLimit: Unknown field (did you mean 'rateLimits'? A provisioner module's section must not be named like a core setting)",
        "access.Trust: Unknown field (did you mean 'trust'? A provisioner module's section must not be named like a core setting)",
        "access.credential: Unknown field (did you mean 'credentials'? A provisioner module's section must not be named like a core setting)",
        "access.enigne: Unknown field (did you mean 'engine'? A provisioner module's section must not be named like a core setting)",
      ]);
    });

    it('a duplicate flow id', () => {
      expect(
        flowIssues(
          baseFlow(),
          baseFlow({ id: 'other' }),
          baseFlow({ title: 'Again' }),
        ),
      ).toEqual([
        "access.flows[2] (id 'db-owner').id: Duplicate flow id 'db-owner' (also used by access.flows[0])",
      ]);
    });

    it('a missing required field', () => {
      const { title, ...flow } = baseFlow();
      expect(title).toBeDefined();
      expect(flowIssues(flow)).toEqual([
        "access.flows[0] (id 'db-owner').title: Required",
      ]);
    });

    it('a duration that is not ISO-8601', () => {
      expect(flowIssues(baseFlow({ durations: ['PT1H', '2 hours'] }))).toEqual([
        "access.flows[0] (id 'db-owner').durations[1]: Invalid ISO-8601 duration '2 hours' (e.g. PT8H, P1D)",
      ]);
    });

    it('a zero or negative duration', () => {
      expect(
        flowIssues(baseFlow({ durations: ['P0D'], pendingTimeout: 'PT-5M' })),
      ).toEqual([
        "access.flows[0] (id 'db-owner').durations[0]: Duration 'P0D' must be longer than zero",
        "access.flows[0] (id 'db-owner').pendingTimeout: Duration 'PT-5M' must be longer than zero",
      ]);
    });

    it('an empty list of durations', () => {
      expect(flowIssues(baseFlow({ durations: [] }))).toEqual([
        "access.flows[0] (id 'db-owner').durations: Must contain at least one entry",
      ]);
    });

    it('a duration above maxDuration', () => {
      expect(
        flowIssues(
          baseFlow({ durations: ['PT1H', 'P2D', 'P1D'], maxDuration: 'P1D' }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').durations[1]: Duration 'P2D' is longer than maxDuration 'P1D'",
      ]);
    });

    it('an invalid maxDuration', () => {
      expect(flowIssues(baseFlow({ maxDuration: 'forever' }))).toEqual([
        "access.flows[0] (id 'db-owner').maxDuration: Invalid ISO-8601 duration 'forever' (e.g. PT8H, P1D)",
      ]);
    });

    it('minApprovals of 0', () => {
      expect(
        flowIssues(
          baseFlow({
            approval: { stages: [{ approvers: ['owners'], minApprovals: 0 }] },
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').approval.stages[0].minApprovals: Number must be greater than or equal to 1",
      ]);
    });

    it('minApprovals given as a string', () => {
      expect(
        flowIssues(
          baseFlow(),
          baseFlow({ id: 'x' }),
          baseFlow({
            id: 'db-admin',
            approval: {
              stages: [{ approvers: ['owners'], minApprovals: '2' }],
            },
          }),
        ),
      ).toEqual([
        "access.flows[2] (id 'db-admin').approval.stages[0].minApprovals: Expected number, received string",
      ]);
    });

    it('an approver of kind component', () => {
      expect(
        flowIssues(
          baseFlow({
            approval: { stages: [{ approvers: ['owners', 'component:api'] }] },
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').approval.stages[0].approvers[1]: Entity ref 'component:api' has kind 'component', expected one of: user, group (or the word 'owners')",
      ]);
    });

    it('a stage without approvers', () => {
      expect(
        flowIssues(baseFlow({ approval: { stages: [{ approvers: [] }] } })),
      ).toEqual([
        "access.flows[0] (id 'db-owner').approval.stages[0].approvers: Must contain at least one entry",
      ]);
    });

    it('an unknown requireReason', () => {
      expect(
        flowIssues(baseFlow({ approval: { requireReason: 'always' } })),
      ).toEqual([
        "access.flows[0] (id 'db-owner').approval.requireReason: Invalid enum value. Expected 'none' | 'reject' | 'approve' | 'both', received 'always'",
      ]);
    });

    it('a ticket pattern that is not a regular expression', () => {
      const issues = flowIssues(baseFlow({ ticket: { pattern: '[A-Z+-(' } }));
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatch(
        /^access\.flows\[0\] \(id 'db-owner'\)\.ticket\.pattern: Invalid regular expression '\[A-Z\+-\(': .+/,
      );
    });

    it('a choice question without choices', () => {
      expect(
        flowIssues(
          baseFlow({
            questions: [
              { id: 'env', label: 'Environment', type: 'choice' },
              { id: 'team', label: 'Team', type: 'choice', choices: [] },
            ],
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').questions[0].choices: Required, with at least one entry, when type is 'choice'",
        "access.flows[0] (id 'db-owner').questions[1].choices: Required, with at least one entry, when type is 'choice'",
      ]);
    });

    it('choices on a text question', () => {
      expect(
        flowIssues(
          baseFlow({
            questions: [
              { id: 'why', label: 'Why?', type: 'text', choices: ['a'] },
            ],
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').questions[0].choices: Only allowed when type is 'choice'",
      ]);
    });

    it('an unknown question type', () => {
      expect(
        flowIssues(
          baseFlow({ questions: [{ id: 'q', label: 'Q', type: 'number' }] }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').questions[0].type: Invalid enum value. Expected 'text' | 'choice', received 'number'",
      ]);
    });

    it('a duplicate question id', () => {
      expect(
        flowIssues(
          baseFlow({
            questions: [
              { id: 'why', label: 'Why?', type: 'text' },
              { id: 'env', label: 'Env', type: 'choice', choices: ['prod'] },
              { id: 'why', label: 'Why again?', type: 'text' },
            ],
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').questions[2].id: Duplicate question id 'why' (also used by questions[0])",
      ]);
    });

    it('a bad entity ref in requestors', () => {
      expect(
        flowIssues(baseFlow({ requestors: ['user:', 'dana smith'] })),
      ).toEqual([
        "access.flows[0] (id 'db-owner').requestors[0]: Invalid entity ref 'user:': expected [<kind>:][<namespace>/]<name>",
        "access.flows[0] (id 'db-owner').requestors[1]: Invalid entity ref 'dana smith': 'dana smith' is not a valid entity name",
      ]);
    });

    it('a requestor that is not a user or group', () => {
      expect(flowIssues(baseFlow({ requestors: ['system:payments'] }))).toEqual(
        [
          "access.flows[0] (id 'db-owner').requestors[0]: Entity ref 'system:payments' has kind 'system', expected one of: user, group",
        ],
      );
    });

    it('a bad resource ref in the selector', () => {
      expect(
        flowIssues(baseFlow({ resources: { refs: ['resource:a/b/c'] } })),
      ).toEqual([
        "access.flows[0] (id 'db-owner').resources.refs[0]: Invalid entity ref 'resource:a/b/c': 'b/c' is not a valid entity name",
      ]);
    });

    it('an empty resources selector', () => {
      expect(
        flowIssues(
          baseFlow({ resources: {} }),
          baseFlow({ id: 'empty-lists', resources: { refs: [], tags: [] } }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').resources: Must select resources with at least one non-empty list among: refs, types, integrations, tags",
        "access.flows[1] (id 'empty-lists').resources: Must select resources with at least one non-empty list among: refs, types, integrations, tags",
      ]);
    });

    it('negative or fractional limits', () => {
      expect(
        flowIssues(
          baseFlow({
            justification: { minLength: -1 },
            extension: { maxExtensions: 1.5 },
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').justification.minLength: Number must be greater than or equal to 0",
        "access.flows[0] (id 'db-owner').extension.maxExtensions: Expected integer, received float",
      ]);
    });

    it('a boolean given as a string', () => {
      expect(flowIssues(baseFlow({ onBehalfOf: 'yes' }))).toEqual([
        "access.flows[0] (id 'db-owner').onBehalfOf: Expected boolean, received string",
      ]);
    });

    it('an empty permissions list on a flow', () => {
      expect(flowIssues(baseFlow({ permissions: [] }))).toEqual([
        "access.flows[0] (id 'db-owner').permissions: Must contain at least one entry",
      ]);
    });

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

    it('an entry without a usable id, by index alone', () => {
      expect(flowIssues(baseFlow({ id: 42 }))).toEqual([
        'access.flows[0].id: Expected string, received number',
      ]);
    });

    it('reporting every problem, across entries, one per line', () => {
      const message = errorOf({
        flows: [
          baseFlow({ durations: ['nope'] }),
          baseFlow({ id: 'second', onBehalfOf: 1 }),
          baseFlow({ title: 'Duplicate' }),
        ],
        bundles: [{ id: 'b', title: 'B', items: [] }],
      });
      expect(message).toBe(
        [
          'Invalid access configuration:',
          "access.bundles[0] (id 'b').items: Must contain at least one entry",
          "access.flows[0] (id 'db-owner').durations[0]: Invalid ISO-8601 duration 'nope' (e.g. PT8H, P1D)",
          "access.flows[1] (id 'second').onBehalfOf: Expected boolean, received number",
          "access.flows[2] (id 'db-owner').id: Duplicate flow id 'db-owner' (also used by access.flows[0])",
        ].join('\n'),
      );
    });
  });
});
