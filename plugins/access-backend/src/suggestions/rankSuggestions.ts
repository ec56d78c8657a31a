/**
 * Suggestions for a need described in words: the resources and bundles whose words meet the
 * need's, helped by what the caller and their teams asked for before, each with the permission
 * that fits best, the flow it would go through, and the reasons in words. Pure: the inputs are
 * gathered by SuggestionService.
 */
import {
  AccessBundle,
  AccessFlow,
  AccessResource,
  AccessSuggestion,
  RequestChannel,
} from '@jit-access/plugin-access-common';
import { matchFlows, Requester } from '../flows/matchFlows';
import { agentPolicy, flowForChannel } from '../requests/rules/agentPolicy';
import { closeness, Word, wordsOf } from './words';

/** How often a permission on a resource was requested. */
export interface ItemCount {
  resourceRef: string;
  permission: string;
  count: number;
}

export interface SuggestionInputs {
  need: string;
  resources: AccessResource[];
  bundles: AccessBundle[];
  flows: AccessFlow[];
  requester: Requester;
  /** What the caller asked for before, and what the members of their groups did. */
  history: { mine: ItemCount[]; team: ItemCount[] };
  /** Where the request would be made: an assistant's (action) always needs approval by default. */
  channel: RequestChannel;
  limit: number;
}

/** A field of a candidate, its words and how much a match in it counts. */
interface Field {
  name: string;
  weight: number;
  words: Word[];
}

// A title says what a thing is; tags and types classify it; a description mentions much.
const WEIGHTS = {
  title: 5,
  name: 4,
  tags: 3,
  type: 3,
  permissions: 2,
  owners: 2,
  description: 1,
  items: 1,
};

const MY_HISTORY_WEIGHT = 2;
const TEAM_HISTORY_WEIGHT = 0.5;
const HISTORY_CAP = 5;
// A resource no flow lets the caller request is still worth knowing of, below the others.
const UNCOVERED_FACTOR = 0.5;

const nameOf = (ref: string) => ref.slice(ref.indexOf('/') + 1);

function field(name: keyof typeof WEIGHTS, text: string): Field {
  return { name, weight: WEIGHTS[name], words: wordsOf(text) };
}

/** How well the need's words meet the fields, and the reasons ("title matches 'payments'"). */
function textMatch(need: Word[], fields: Field[]) {
  let score = 0;
  const matched = new Map<string, string[]>();
  for (const word of need) {
    let best: { field: Field; value: number } | undefined;
    for (const f of fields) {
      const value =
        f.weight *
        Math.max(0, ...f.words.map(w => closeness(word.stem, w.stem)));
      if (value > 0 && (!best || value > best.value)) {
        best = { field: f, value };
      }
    }
    if (best) {
      score += best.value;
      matched.set(best.field.name, [
        ...(matched.get(best.field.name) ?? []),
        word.text,
      ]);
    }
  }
  const reasons = [...matched].map(
    ([name, texts]) =>
      `${name === 'permissions' ? 'a permission' : name} matches ${texts
        .map(t => `'${t}'`)
        .join(', ')}`,
  );
  return { score, reasons };
}

const countOf = (counts: ItemCount[], ref: string, permission?: string) =>
  counts
    .filter(
      c =>
        c.resourceRef === ref && (!permission || c.permission === permission),
    )
    .reduce((sum, c) => sum + c.count, 0);

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

/** The flows that would take this item for the requester through this channel, first the first. */
function flowsFor(
  inputs: SuggestionInputs,
  resource: AccessResource,
  permission: string,
): AccessFlow[] {
  const usable = inputs.flows.filter(
    flow => inputs.channel !== 'action' || agentPolicy(flow) !== 'deny',
  );
  const { matches } = matchFlows(
    usable,
    [{ resourceRef: resource.ref, permission, resource }],
    inputs.requester,
    false,
  );
  return matches.map(m => m.flow);
}

/** The permission that fits the need best: one a flow covers, named in the need, asked before. */
function choosePermission(
  inputs: SuggestionInputs,
  need: Word[],
  resource: AccessResource,
) {
  const ranked = resource.permissions.map((permission, index) => {
    const named = Math.max(
      0,
      ...wordsOf(permission).flatMap(p =>
        need.map(w => closeness(w.stem, p.stem)),
      ),
    );
    const asked =
      countOf(inputs.history.mine, resource.ref, permission) +
      countOf(inputs.history.team, resource.ref, permission) * 0.25;
    const flows = flowsFor(inputs, resource, permission);
    return { permission, index, named, asked, flows };
  });
  ranked.sort(
    (a, b) =>
      Number(b.flows.length > 0) - Number(a.flows.length > 0) ||
      b.named - a.named ||
      b.asked - a.asked ||
      a.index - b.index, // the resource lists its permissions, least first by convention
  );
  return ranked[0];
}

function suggestResource(
  inputs: SuggestionInputs,
  need: Word[],
  resource: AccessResource,
): AccessSuggestion | undefined {
  const text = textMatch(need, [
    field('title', resource.title),
    field('name', nameOf(resource.ref)),
    field('tags', resource.tags.join(' ')),
    field('type', resource.type),
    field('permissions', resource.permissions.join(' ')),
    field('owners', resource.owners.map(nameOf).join(' ')),
    field('description', resource.description ?? ''),
  ]);
  if (text.score === 0 || resource.permissions.length === 0) {
    return undefined;
  }
  const reasons = [...text.reasons];
  let score = text.score;
  const mine = countOf(inputs.history.mine, resource.ref);
  const team = countOf(inputs.history.team, resource.ref);
  if (mine > 0) {
    score += MY_HISTORY_WEIGHT * Math.min(mine, HISTORY_CAP);
    reasons.push(`you requested this ${times(mine)}`);
  }
  if (team > 0) {
    score += TEAM_HISTORY_WEIGHT * Math.min(team, HISTORY_CAP);
    reasons.push(`people in your groups requested this ${times(team)}`);
  }
  const chosen = choosePermission(inputs, need, resource);
  if (chosen.named > 0) {
    reasons.push(`permission '${chosen.permission}' fits the need`);
  }
  const flow = chosen.flows[0];
  if (!flow) {
    score *= UNCOVERED_FACTOR;
    reasons.push('no access flow lets you request it');
  }
  const applied = flow && flowForChannel(flow, inputs.channel);
  return {
    kind: 'resource',
    resourceRef: resource.ref,
    title: resource.title,
    permission: chosen.permission,
    ...(flow && {
      flowId: flow.id,
      flowTitle: flow.title,
      duration: flow.durations[0],
    }),
    requiresApproval: applied ? applied.approval.stages.length > 0 : true,
    score: Math.round(score * 100) / 100,
    reasons,
  };
}

function suggestBundle(
  inputs: SuggestionInputs,
  need: Word[],
  bundle: AccessBundle,
  byRef: Map<string, AccessResource>,
): AccessSuggestion | undefined {
  const items = bundle.items.flatMap(item => {
    const resource = byRef.get(item.resourceRef);
    return resource ? [{ ...item, resource }] : [];
  });
  if (items.length < bundle.items.length) {
    return undefined; // part of it cannot be requested
  }
  const text = textMatch(need, [
    field('title', bundle.title),
    field('name', bundle.id),
    field('description', bundle.description ?? ''),
    field(
      'items',
      items
        .map(i => `${i.resource.title} ${i.resource.type} ${i.permission}`)
        .join(' '),
    ),
  ]);
  if (text.score === 0) {
    return undefined;
  }
  const reasons = [...text.reasons];
  let score = text.score;
  const mine = items.reduce(
    (sum, i) => sum + countOf(inputs.history.mine, i.resourceRef, i.permission),
    0,
  );
  if (mine > 0) {
    score += MY_HISTORY_WEIGHT * Math.min(mine, HISTORY_CAP) * 0.5;
    reasons.push(`you requested its items ${times(mine)}`);
  }
  const flows = items.map(i => flowsFor(inputs, i.resource, i.permission)[0]);
  if (flows.some(flow => !flow)) {
    score *= UNCOVERED_FACTOR;
    reasons.push('no access flow lets you request some of its items');
  }
  return {
    kind: 'bundle',
    bundleId: bundle.id,
    title: bundle.title,
    requiresApproval: flows.some(
      flow =>
        !flow ||
        flowForChannel(flow, inputs.channel).approval.stages.length > 0,
    ),
    score: Math.round(score * 100) / 100,
    reasons,
  };
}

/** The best suggestions for the need, best first (at most `limit`). */
export function rankSuggestions(inputs: SuggestionInputs): AccessSuggestion[] {
  const need = wordsOf(inputs.need);
  if (need.length === 0) {
    return [];
  }
  const byRef = new Map(inputs.resources.map(r => [r.ref, r]));
  const suggestions = [
    ...inputs.resources.map(r => suggestResource(inputs, need, r)),
    ...inputs.bundles.map(b => suggestBundle(inputs, need, b, byRef)),
  ].filter((s): s is AccessSuggestion => s !== undefined);
  return suggestions
    .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title))
    .slice(0, inputs.limit);
}
