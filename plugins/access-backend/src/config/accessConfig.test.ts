import { ConfigReader } from '@backstage/config';
import { readAccessConfig } from './accessConfig';
import {
  errorOf,
  flowIssues,
  baseFlow,
  issuesOf,
  read,
} from './__testUtils__/readAccess';

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
        callTimeouts: {},
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

  describe('rejects', () => {
    it('an access section that is not an object', () => {
      expect(issuesOf('yes')).toEqual([
        'access: Expected object, received string',
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
