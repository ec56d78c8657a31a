import { InputError } from '@backstage/errors';
import {
  AccessBundle,
  AccessItem,
  Submission,
} from '@jit-access/plugin-access-common';
import { ResolvedItem } from '../flows/matchFlows';
import { normaliseEntityRef } from '../lib/entityRefs';
import { ResourceCatalog } from '../resources/ResourceCatalog';

/** The items a submission asks for: its own, and those it picks from a bundle. */
export function submittedItems(
  bundles: AccessBundle[],
  submission: Submission,
): AccessItem[] {
  const items: AccessItem[] = [...(submission.items ?? [])];
  if (submission.bundle) {
    const bundle = bundles.find(b => b.id === submission.bundle!.id);
    if (!bundle) {
      throw new InputError(`bundle.id: no bundle '${submission.bundle.id}'`);
    }
    const picked = submission.bundle.items ?? bundle.items;
    for (const [index, item] of picked.entries()) {
      const ref = normaliseEntityRef(item.resourceRef, {
        defaultKind: 'resource',
        field: `bundle.items[${index}].resourceRef`,
      });
      if (
        !bundle.items.some(
          b => b.resourceRef === ref && b.permission === item.permission,
        )
      ) {
        throw new InputError(
          `bundle.items[${index}]: ${item.permission} on ${ref} is not part of bundle '${bundle.id}'`,
        );
      }
      items.push({ resourceRef: ref, permission: item.permission });
    }
  }
  return items;
}

/** The items with their resources, once each; refuses resources nobody may request. */
export async function resolveItems(
  resources: ResourceCatalog,
  items: AccessItem[],
): Promise<ResolvedItem[]> {
  const normalised = items.map((item, index) => ({
    resourceRef: normaliseEntityRef(item.resourceRef, {
      defaultKind: 'resource',
      field: `items[${index}].resourceRef`,
    }),
    permission: item.permission,
  }));
  const unique = new Map(
    normalised.map(i => [`${i.resourceRef}\u0000${i.permission}`, i]),
  );
  // Refuses catalog entities nobody accepted, saying why (see resources/trust.ts).
  const found = await resources.getRequestable(
    [...unique.values()].map(i => i.resourceRef),
  );
  const missing = [
    ...new Set([...unique.values()].map(i => i.resourceRef)),
  ].filter(ref => !found.has(ref));
  if (missing.length > 0) {
    throw new InputError(
      `items: no requestable resource ${missing.slice(0, 5).join(', ')}`,
    );
  }
  return [...unique.values()].map(i => ({
    ...i,
    resource: found.get(i.resourceRef)!,
  }));
}

/** The resources of the items, each once. */
export function uniqueResources(items: ResolvedItem[]) {
  return [
    ...new Map(items.map(item => [item.resource.ref, item.resource])).values(),
  ];
}
