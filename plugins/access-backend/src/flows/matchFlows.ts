import {
  AccessFlow,
  AccessItem,
  AccessResource,
} from '@jit-access/plugin-access-common';

/** Who asks: the requester's user ref and every ref they act for (their groups). */
export interface Requester {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/** An item whose resource exists, ready to be matched against flows. */
export interface ResolvedItem extends AccessItem {
  resource: AccessResource;
}

export interface FlowMatch {
  flow: AccessFlow;
  items: ResolvedItem[];
}

export interface UncoveredItem extends AccessItem {
  reason: string;
}

/** Whether the flow lets this requester ask (for themselves or, when allowed, for someone else). */
export function mayRequestUnder(
  flow: AccessFlow,
  requester: Requester,
  onBehalf: boolean,
): boolean {
  if (onBehalf && !flow.onBehalfOf) {
    return false;
  }
  if (!flow.requestors) {
    return true;
  }
  const refs = new Set([
    requester.userEntityRef,
    ...requester.ownershipEntityRefs,
  ]);
  return flow.requestors.some(ref => refs.has(ref));
}

/**
 * Whether the flow may match a resource of this origin at all. A catalog entity's tags, type and
 * owner are written by whoever registered it, so a flow that approves automatically matches
 * catalog entities only when it says so (`allowCatalogResources`); any flow may refuse them.
 */
export function flowTrustsSource(
  flow: AccessFlow,
  resource: AccessResource,
): boolean {
  if (resource.source !== 'catalog') {
    return true;
  }
  return flow.allowCatalogResources ?? flow.approval.stages.length > 0;
}

/** Whether the flow covers this (resource, permission). */
export function flowCovers(flow: AccessFlow, item: ResolvedItem): boolean {
  const { resource, permission } = item;
  if (!resource.permissions.includes(permission)) {
    return false;
  }
  if (!flowTrustsSource(flow, resource)) {
    return false;
  }
  if (flow.permissions && !flow.permissions.includes(permission)) {
    return false;
  }
  const selector = flow.resources;
  return Boolean(
    selector.refs?.includes(resource.ref) ||
      selector.types?.includes(resource.type) ||
      selector.integrations?.includes(resource.integration) ||
      selector.tags?.some(tag => resource.tags.includes(tag)),
  );
}

/**
 * The flows that would cover each item for this requester, and the items none covers with the
 * reason. An item may be covered by several flows; the caller chooses (see assignFlows).
 */
export function matchFlows(
  flows: AccessFlow[],
  items: ResolvedItem[],
  requester: Requester,
  onBehalf: boolean,
): { matches: FlowMatch[]; uncovered: UncoveredItem[] } {
  const usable = flows.filter(flow =>
    mayRequestUnder(flow, requester, onBehalf),
  );
  const matches = usable
    .map(flow => ({
      flow,
      items: items.filter(item => flowCovers(flow, item)),
    }))
    .filter(match => match.items.length > 0);

  const uncovered: UncoveredItem[] = [];
  for (const item of items) {
    if (matches.some(match => match.items.includes(item))) {
      continue;
    }
    const { resourceRef, permission, resource } = item;
    let reason: string;
    if (!resource.permissions.includes(permission)) {
      reason = `${resourceRef} offers no permission '${permission}' (it offers ${resource.permissions.join(
        ', ',
      )})`;
    } else if (flows.some(flow => flowCovers(flow, item))) {
      reason = onBehalf
        ? `no access flow lets you request ${permission} on ${resourceRef} on behalf of someone else`
        : `no access flow lets you request ${permission} on ${resourceRef}`;
    } else if (
      flows.some(flow =>
        flowCovers(flow, {
          ...item,
          resource: { ...resource, source: 'config' },
        }),
      )
    ) {
      reason = `no access flow covers ${permission} on ${resourceRef}: the flows that would approve it automatically do not match catalog resources (allowCatalogResources)`;
    } else {
      reason = `no access flow covers ${permission} on ${resourceRef}`;
    }
    uncovered.push({ resourceRef, permission, reason });
  }
  return { matches, uncovered };
}

/**
 * Gives each item exactly one flow: the chosen flow where it covers the item, else the only flow
 * that covers it. Items several flows cover, with none chosen, are returned as ambiguous.
 */
export function assignFlows(
  matches: FlowMatch[],
  chosenFlowId: string | undefined,
): {
  assigned: FlowMatch[];
  ambiguous: Array<{ item: ResolvedItem; flowIds: string[] }>;
} {
  const byFlow = new Map<string, FlowMatch>();
  const ambiguous: Array<{ item: ResolvedItem; flowIds: string[] }> = [];
  const items = [...new Set(matches.flatMap(match => match.items))];
  for (const item of items) {
    const candidates = matches.filter(match => match.items.includes(item));
    const chosen = candidates.find(match => match.flow.id === chosenFlowId);
    const winner =
      chosen ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (!winner) {
      ambiguous.push({ item, flowIds: candidates.map(match => match.flow.id) });
      continue;
    }
    const group = byFlow.get(winner.flow.id) ?? {
      flow: winner.flow,
      items: [],
    };
    group.items.push(item);
    byFlow.set(winner.flow.id, group);
  }
  return { assigned: [...byFlow.values()], ambiguous };
}
