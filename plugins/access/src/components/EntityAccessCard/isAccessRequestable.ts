import { Entity } from '@backstage/catalog-model';
import {
  ACCESS_INTEGRATION_ANNOTATION,
  ACCESS_PERMISSIONS_ANNOTATION,
} from '@jit-access/plugin-access-common';

/** The annotations that make a catalog entity requestable (defined in the common package). */
export { ACCESS_INTEGRATION_ANNOTATION, ACCESS_PERMISSIONS_ANNOTATION };

/** Whether an entity carries the access annotations (for EntitySwitch and card filters). */
export function isAccessRequestable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ACCESS_INTEGRATION_ANNOTATION] &&
      annotations[ACCESS_PERMISSIONS_ANNOTATION],
  );
}
