import { createPermission } from '@backstage/plugin-permission-common';

/** Submit a request for access (for oneself, or on behalf of someone when the flow allows it). */
export const accessRequestCreatePermission = createPermission({
  name: 'access.request.create',
  attributes: { action: 'create' },
});

/** The resource type of access requests, for conditional permission decisions. */
export const ACCESS_REQUEST_RESOURCE_TYPE = 'access-request';

/**
 * Read requests. The backend always limits reading to the requester, the grantee, the approvers
 * and admins; a permission policy can narrow that further with the access-request rules
 * (IS_REQUESTER, IS_GRANTEE, IS_APPROVER, HAS_STATUS).
 */
export const accessRequestReadPermission = createPermission({
  name: 'access.request.read',
  attributes: { action: 'read' },
  resourceType: ACCESS_REQUEST_RESOURCE_TYPE,
});

/** Approve or reject requests one is an approver of. */
export const accessRequestApprovePermission = createPermission({
  name: 'access.request.approve',
  attributes: { action: 'update' },
});

/** Revoke an active grant before its end. */
export const accessGrantRevokePermission = createPermission({
  name: 'access.grant.revoke',
  attributes: { action: 'delete' },
});

/** Administer the plugin: see every request, revoke any grant, read reconciliation findings. */
export const accessAdminPermission = createPermission({
  name: 'access.admin',
  attributes: {},
});

/** Every permission the access plugin defines, for registration with the permission framework. */
export const accessPermissions = [
  accessRequestCreatePermission,
  accessRequestReadPermission,
  accessRequestApprovePermission,
  accessGrantRevokePermission,
  accessAdminPermission,
];
