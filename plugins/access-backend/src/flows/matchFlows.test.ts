import { makeFlow, makeResource } from '../__testUtils__/fixtures';
import {
  assignFlows,
  flowTrustsSource,
  matchFlows,
  ResolvedItem,
} from './matchFlows';

const db = makeResource('payments-db', {
  tags: ['pii'],
  permissions: ['read', 'write', 'admin'],
});
const cluster = makeResource('staging', {
  type: 'kubernetes-cluster',
  integration: 'k8s',
});
const item = (resource = db, permission = 'read'): ResolvedItem => ({
  resourceRef: resource.ref,
  permission,
  resource,
});
const dana = {
  userEntityRef: 'user:default/dana',
  ownershipEntityRefs: ['user:default/dana', 'group:default/payments'],
};

describe('matchFlows', () => {
  it('covers items by ref, type, integration or tag, within the permissions', () => {
    const byRef = makeFlow({ id: 'by-ref', resources: { refs: [db.ref] } });
    const byTag = makeFlow({
      id: 'by-tag',
      resources: { tags: ['pii'] },
      permissions: ['admin'],
    });
    const byIntegration = makeFlow({
      id: 'k8s',
      resources: { integrations: ['k8s'] },
    });

    const read = item();
    const admin = item(db, 'admin');
    const clusterRead = item(cluster);
    const { matches, uncovered } = matchFlows(
      [byRef, byTag, byIntegration],
      [read, admin, clusterRead],
      dana,
      false,
    );

    expect(
      matches.map(m => [m.flow.id, m.items.map(i => i.permission)]),
    ).toEqual([
      ['by-ref', ['read', 'admin']],
      ['by-tag', ['admin']],
      ['k8s', ['read']],
    ]);
    expect(uncovered).toEqual([]);
  });

  it('applies the requestors and on-behalf rules, and says why an item is uncovered', () => {
    const leadsOnly = makeFlow({
      id: 'leads',
      requestors: ['group:default/team-leads'],
    });
    const open = makeFlow({ id: 'open', resources: { refs: [cluster.ref] } });

    const { matches, uncovered } = matchFlows(
      [leadsOnly, open],
      [item(), item(db, 'delete'), item(cluster)],
      dana,
      true,
    );

    expect(matches).toEqual([]);
    expect(uncovered.map(u => u.reason)).toEqual([
      'no access flow lets you request read on resource:default/payments-db on behalf of someone else',
      "resource:default/payments-db offers no permission 'delete' (it offers read, write, admin)",
      'no access flow lets you request read on resource:default/staging on behalf of someone else',
    ]);

    const asMember = matchFlows(
      [leadsOnly],
      [item()],
      {
        ...dana,
        ownershipEntityRefs: [
          ...dana.ownershipEntityRefs,
          'group:default/team-leads',
        ],
      },
      false,
    );
    expect(asMember.matches.map(m => m.flow.id)).toEqual(['leads']);
  });
});

describe('assignFlows', () => {
  const a = makeFlow({ id: 'a' });
  const b = makeFlow({ id: 'b', resources: { refs: [db.ref] } });
  const read = item();
  const clusterRead = item(cluster);

  it('uses the only covering flow, or the chosen one among several', () => {
    const matches = [
      { flow: a, items: [read] },
      { flow: b, items: [read] },
      { flow: makeFlow({ id: 'c' }), items: [clusterRead] },
    ];

    const chosen = assignFlows(matches, 'b');
    expect(chosen.ambiguous).toEqual([]);
    expect(chosen.assigned.map(m => [m.flow.id, m.items.length])).toEqual([
      ['b', 1],
      ['c', 1],
    ]);

    const unchosen = assignFlows(matches, undefined);
    expect(unchosen.ambiguous).toEqual([{ item: read, flowIds: ['a', 'b'] }]);
    expect(unchosen.assigned.map(m => m.flow.id)).toEqual(['c']);
  });
});

describe('automatic flows and catalog entities', () => {
  const fromCatalog = makeResource('planted', {
    source: 'catalog',
    tags: ['self-service'],
  });
  const automatic = makeFlow({
    id: 'auto',
    resources: { tags: ['self-service'] },
  });
  const approved = makeFlow({
    id: 'approved',
    resources: { tags: ['self-service'] },
    approval: {
      stages: [{ approvers: ['owners'], minApprovals: 1 }],
      requireReason: 'none',
      allowSelfApproval: false,
    },
  });

  it('match catalog entities only when the flow allows it; flows with approval do unless they refuse', () => {
    const items = [item(fromCatalog)];
    expect(flowTrustsSource(automatic, fromCatalog)).toBe(false);
    expect(
      flowTrustsSource(
        { ...automatic, allowCatalogResources: true },
        fromCatalog,
      ),
    ).toBe(true);
    expect(flowTrustsSource(approved, fromCatalog)).toBe(true);
    expect(
      flowTrustsSource(
        { ...approved, allowCatalogResources: false },
        fromCatalog,
      ),
    ).toBe(false);
    expect(
      flowTrustsSource(automatic, { ...fromCatalog, source: 'config' }),
    ).toBe(true);

    const { matches, uncovered } = matchFlows([automatic], items, dana, false);
    expect(matches).toEqual([]);
    expect(uncovered).toEqual([
      {
        resourceRef: fromCatalog.ref,
        permission: 'read',
        reason: `no access flow covers read on ${fromCatalog.ref}: the flows that would approve it automatically do not match catalog resources (allowCatalogResources)`,
      },
    ]);
    expect(
      matchFlows([automatic, approved], items, dana, false).matches.map(
        m => m.flow.id,
      ),
    ).toEqual(['approved']);
  });
});
