import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { AccessRequest } from '@jit-access/plugin-access-common';
import { Requester } from '../flows/matchFlows';
import { RequestFilter } from '../permissions/rules';

/** The signed-in user behind an API request, with what the permission policy allows them. */
export interface Caller {
  userEntityRef: string;
  isAdmin: boolean;
  /**
   * The service a user token was issued to when it acts on the user's behalf (a scaffolder run,
   * another plugin). Such a caller may ask for access but never decides.
   */
  actor?: string;
  /**
   * What a permission policy lets the caller read, within what they may read anyway (their own
   * requests, those they approve, everything for admins). Absent: no further limit.
   */
  readPolicy?: {
    filter: PermissionCriteria<RequestFilter>;
    allows(request: AccessRequest): boolean;
  };
}

/**
 * A caller who asks for access: flows match on every ref they act for (their groups), which the
 * user info service knows. Only the routes that match flows or assign work by group ask for it.
 */
export interface RequestingCaller extends Caller, Requester {}
