import { Entity } from '@backstage/catalog-model';

/** The annotations that make a catalog entity requestable. */
export const ACCESS_INTEGRATION_ANNOTATION = 'jit-access.io/integration';
export const ACCESS_PERMISSIONS_ANNOTATION = 'jit-access.io/permissions';

/** Whether an entity carries the access annotations (for EntitySwitch and card filters). */
export function isAccessRequestable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ACCESS_INTEGRATION_ANNOTATION] &&
      annotations[ACCESS_PERMISSIONS_ANNOTATION],
  );
}
