/**
 * Catalog annotations that make an entity requestable: the provisioner that grants access to it
 * and the permissions that may be requested (comma-separated).
 */
export const ACCESS_INTEGRATION_ANNOTATION = 'jit-access.io/integration';
export const ACCESS_PERMISSIONS_ANNOTATION = 'jit-access.io/permissions';
