import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { AccessResource } from '@jit-access/plugin-access-common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { makeFlow, makeResource } from '../__testUtils__/fixtures';
import { readAccessConfig } from '../config/accessConfig';
import { resourceFromEntity } from '../resources/entityResource';
import { rankSuggestions, SuggestionInputs } from './rankSuggestions';
import { stem, wordsOf } from './words';

const DANA = {
  userEntityRef: 'user:default/dana',
  ownershipEntityRefs: ['user:default/dana', 'group:default/payments'],
};

const PAYMENTS = makeResource('payments-db', {
  title: 'Payments database',
  description: 'Production database of the payments services.',
  permissions: ['read', 'write', 'admin'],
  tags: ['postgresql'],
});
const WAREHOUSE = makeResource('warehouse', {
  title: 'Analytics warehouse',
  type: 'data-warehouse',
  permissions: ['read', 'write'],
  owners: ['group:default/data'],
  tags: ['analytics'],
});
const SANDBOX = makeResource('sandbox', {
  title: 'Sandbox',
  type: 'sandbox',
  permissions: ['use'],
  tags: ['self-service'],
  description: 'A throw-away environment for payments experiments.',
});

const FLOWS = [
  makeFlow({
    id: 'owners',
    title: 'Owner approval',
    resources: { types: ['database', 'data-warehouse'] },
    durations: ['PT4H', 'PT1H'],
    approval: {
      stages: [{ approvers: ['owners'], minApprovals: 1 }],
      requireReason: 'none',
      allowSelfApproval: false,
    },
  }),
  makeFlow({
    id: 'self',
    title: 'Self-service',
    resources: { tags: ['self-service'] },
    durations: ['PT15M'],
  }),
];

function inputs(overrides: Partial<SuggestionInputs>): SuggestionInputs {
  return {
    need: '',
    resources: [PAYMENTS, WAREHOUSE, SANDBOX],
    bundles: [],
    flows: FLOWS,
    requester: DANA,
    history: { mine: [], team: [] },
    channel: 'api',
    limit: 5,
    ...overrides,
  };
}

describe('words', () => {
  it.each([
    ['payments', 'payment'],
    ['failed', 'fail'],
    ['debugging', 'debug'],
    ['databases', 'databas'],
    ['database', 'databas'],
    ['policies', 'policy'],
    ['access', 'acces'],
    ['read', 'read'],
  ])('stems %s as %s', (word, stemmed) => {
    expect(stem(word)).toBe(stemmed);
  });

  it('leaves out common words and repeats', () => {
    expect(
      wordsOf('I need to READ the payments, payments DB').map(w => w.text),
    ).toEqual(['read', 'payments', 'db']);
  });
});

describe('rankSuggestions', () => {
  it.each([
    ['read the payments database', 'resource:default/payments-db', 'read'],
    ['write to the analytics warehouse', 'resource:default/warehouse', 'write'],
    ['a sandbox to experiment', 'resource:default/sandbox', 'use'],
    ['postgres', 'resource:default/payments-db', 'read'],
  ])('for "%s" suggests %s with %s first', (need, ref, permission) => {
    const [first] = rankSuggestions(inputs({ need }));
    expect(first).toMatchObject({
      kind: 'resource',
      resourceRef: ref,
      permission,
    });
  });

  it('weighs a title above tags, and tags above a description', () => {
    const byTitle = makeResource('a', {
      title: 'Ledger',
      tags: [],
      description: '',
    });
    const byTag = makeResource('b', { title: 'B', tags: ['ledger'] });
    const byText = makeResource('c', { title: 'C', description: 'The ledger' });
    const ranked = rankSuggestions(
      inputs({ need: 'ledger', resources: [byText, byTag, byTitle] }),
    );
    expect(ranked.map(s => s.resourceRef)).toEqual([
      byTitle.ref,
      byTag.ref,
      byText.ref,
    ]);
    expect(ranked[0].reasons).toContain("title matches 'ledger'");
    expect(ranked[1].reasons).toContain("tags matches 'ledger'");
  });

  it('says which flow, the duration it offers first and whether a person approves', () => {
    const [db] = rankSuggestions(inputs({ need: 'payments database' }));
    expect(db).toMatchObject({
      flowId: 'owners',
      flowTitle: 'Owner approval',
      duration: 'PT4H',
      requiresApproval: true,
    });
    const [sandbox] = rankSuggestions(inputs({ need: 'sandbox' }));
    expect(sandbox).toMatchObject({ flowId: 'self', requiresApproval: false });
  });

  it('counts an assistant’s request as needing approval under an automatic flow by default', () => {
    const [sandbox] = rankSuggestions(
      inputs({ need: 'sandbox', channel: 'action' }),
    );
    expect(sandbox).toMatchObject({ flowId: 'self', requiresApproval: true });
    const allowing = FLOWS.map(f =>
      f.id === 'self' ? { ...f, agents: { requests: 'allow' as const } } : f,
    );
    expect(
      rankSuggestions(
        inputs({ need: 'sandbox', channel: 'action', flows: allowing }),
      )[0],
    ).toMatchObject({ requiresApproval: false });
  });

  it('offers no flow that refuses assistants to an assistant', () => {
    const denying = FLOWS.map(f =>
      f.id === 'self' ? { ...f, agents: { requests: 'deny' as const } } : f,
    );
    const [sandbox] = rankSuggestions(
      inputs({ need: 'sandbox', channel: 'action', flows: denying }),
    );
    expect(sandbox.flowId).toBeUndefined();
    expect(sandbox.reasons).toContain('no access flow lets you request it');
  });

  it('lifts what the caller and their teams asked for before, and says so', () => {
    const need = 'read data';
    const plain = rankSuggestions(inputs({ need }));
    const withHistory = rankSuggestions(
      inputs({
        need,
        history: {
          mine: [{ resourceRef: WAREHOUSE.ref, permission: 'read', count: 3 }],
          team: [{ resourceRef: WAREHOUSE.ref, permission: 'write', count: 1 }],
        },
      }),
    );
    const before = plain.find(s => s.resourceRef === WAREHOUSE.ref);
    const after = withHistory.find(s => s.resourceRef === WAREHOUSE.ref)!;
    expect(after.score).toBeGreaterThan(before?.score ?? 0);
    expect(after.reasons).toEqual(
      expect.arrayContaining([
        'you requested this 3 times',
        'people in your groups requested this once',
      ]),
    );
  });

  it('picks the permission asked for before when the need names none', () => {
    const [first] = rankSuggestions(
      inputs({
        need: 'payments database',
        history: {
          mine: [{ resourceRef: PAYMENTS.ref, permission: 'write', count: 2 }],
          team: [],
        },
      }),
    );
    expect(first).toMatchObject({
      resourceRef: PAYMENTS.ref,
      permission: 'write',
    });
  });

  it('suggests bundles by their words and their items', () => {
    const ranked = rankSuggestions(
      inputs({
        need: 'payments on-call incident',
        bundles: [
          {
            id: 'payments-oncall',
            title: 'Payments on-call',
            description: 'For an incident.',
            items: [{ resourceRef: PAYMENTS.ref, permission: 'read' }],
          },
        ],
      }),
    );
    expect(ranked[0]).toMatchObject({
      kind: 'bundle',
      bundleId: 'payments-oncall',
      requiresApproval: true,
    });
  });

  it('suggests nothing for words that meet nothing, and at most limit', () => {
    expect(rankSuggestions(inputs({ need: 'the of to' }))).toEqual([]);
    expect(rankSuggestions(inputs({ need: 'zebra' }))).toEqual([]);
    expect(rankSuggestions(inputs({ need: 'read', limit: 1 }))).toHaveLength(1);
  });
});

describe('rankSuggestions on the example app', () => {
  const root = resolve(__dirname, '../../../..');
  const access = readAccessConfig(
    new ConfigReader(
      parseAllDocuments(
        readFileSync(resolve(root, 'app-config.yaml'), 'utf8'),
      )[0].toJS(),
    ),
  );
  const entities = parseAllDocuments(
    readFileSync(resolve(root, 'examples/resources.yaml'), 'utf8'),
  ).map(doc => doc.toJS() as Entity);
  const resources: AccessResource[] = [
    ...access.resources,
    ...entities.flatMap(entity => resourceFromEntity(entity) ?? []),
  ];

  it('puts read on the payments database first for debugging failed payouts', () => {
    const ranked = rankSuggestions({
      need: 'read the payments database to debug failed payouts',
      resources,
      bundles: access.bundles,
      flows: access.flows,
      requester: DANA,
      history: { mine: [], team: [] },
      channel: 'action',
      limit: 5,
    });
    expect(ranked[0]).toMatchObject({
      kind: 'resource',
      resourceRef: 'resource:default/payments-db',
      permission: 'read',
      flowId: 'database-owner-approval',
      duration: 'PT1H',
      requiresApproval: true,
    });
    expect(ranked[0].reasons).toEqual(
      expect.arrayContaining([
        "title matches 'payments', 'database'",
        "permission 'read' fits the need",
      ]),
    );
  });
});
