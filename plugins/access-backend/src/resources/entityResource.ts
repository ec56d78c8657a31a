import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ACCESS_INTEGRATION_ANNOTATION,
  ACCESS_PERMISSIONS_ANNOTATION,
  AccessResource,
} from '@jit-access/plugin-access-common';

function splitList(value: string | undefined): string[] {
  const items = (value ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
  return [...new Set(items)];
}

/**
 * The requestable resource a catalog entity describes, or undefined when it lacks the access
 * annotations. Its `spec.owner` becomes its owner, the default approver.
 */
export function resourceFromEntity(entity: Entity): AccessResource | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const integration = annotations[ACCESS_INTEGRATION_ANNOTATION]?.trim();
  const permissions = splitList(annotations[ACCESS_PERMISSIONS_ANNOTATION]);
  if (!integration || permissions.length === 0) {
    return undefined;
  }
  const namespace = entity.metadata.namespace ?? 'default';
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  let owners: string[] = [];
  if (owner) {
    try {
      owners = [
        stringifyEntityRef(
          parseEntityRef(owner, {
            defaultKind: 'group',
            defaultNamespace: namespace,
          }),
        ),
      ];
    } catch {
      owners = []; // a malformed owner gives no approver rather than a broken listing
    }
  }
  return {
    ref: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    type:
      typeof entity.spec?.type === 'string'
        ? entity.spec.type
        : entity.kind.toLowerCase(),
    description: entity.metadata.description,
    integration,
    permissions,
    owners,
    tags: entity.metadata.tags ?? [],
    source: 'catalog',
  };
}
