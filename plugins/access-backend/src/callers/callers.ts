/**
 * Who is calling, and what the permission policy lets them do: the signed-in user (decisions are
 * for users only, never services), asked of the permission framework once per call, with only
 * the decisions the call needs. The HTTP routes learn the user from the request, the actions
 * from the credentials the actions registry hands them; both go through the same checks.
 */
import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  accessAdminPermission,
  accessRequestReadPermission,
  AccessRequest,
} from '@jit-access/plugin-access-common';
import express from 'express';
import { accessRequestRules, RequestFilter } from '../permissions/rules';
import { Caller, RequestingCaller } from '../requests/RequestService';

/** What a route or action needs to know of its caller besides who they are. */
export interface CallerWants {
  /** The permission policy's conditions on reading requests. */
  reads?: boolean;
  /** A permission the route requires (403 without it). */
  requires?: BasicPermission;
  /** false: the route never needs to know whether the caller administers access. */
  admin?: boolean;
}

/**
 * The ways a route (`From` = its request) or an action (`From` = the caller's credentials) learns
 * who calls it.
 */
export interface Callers<From = express.Request> {
  /** A caller, for routes that need only who they are and what they may do. */
  caller(
    from: From,
    wants?: CallerWants,
  ): Promise<Caller & { credentials: BackstageCredentials }>;
  /**
   * A caller with every ref they act for (their groups), for the routes that match flows or
   * assign work by group. The user info service may ask the auth backend for these, so the
   * other routes (the lists among them) do without.
   */
  requester(
    from: From,
    wants?: CallerWants,
  ): Promise<RequestingCaller & { credentials: BackstageCredentials }>;
  /** A caller who reads requests, within what the permission policy lets them read. */
  reader(
    from: From,
    also?: { admin?: boolean },
  ): Promise<Caller & { credentials: BackstageCredentials }>;
}

/** The ways an action learns who calls it, from the credentials it was called with. */
export type CredentialCallers = Callers<BackstageCredentials>;

/**
 * The user behind credentials an action was called with. Actions act for a person (their
 * requests, their access); a service calling without a user is refused.
 */
export function userCredentials(
  credentials: BackstageCredentials,
): BackstageCredentials<BackstageUserPrincipal> {
  if (credentials.principal.type !== 'user') {
    throw new NotAllowedError(
      "This action acts for a signed-in user: call it with a user's credentials, not a service's",
    );
  }
  return credentials as BackstageCredentials<BackstageUserPrincipal>;
}

const toRequestFilter: ConditionTransformer<RequestFilter> =
  createConditionTransformer(Object.values(accessRequestRules));
const isReadable = createConditionAuthorizer<AccessRequest, RequestFilter>(
  Object.values(accessRequestRules),
);

/** Callers for the actions: the user behind the credentials, with the same checks as routes. */
export function createCredentialCallers(deps: {
  userInfo: UserInfoService;
  permissions: PermissionsService;
}): CredentialCallers {
  const { userInfo, permissions } = deps;

  /**
   * The signed-in user behind the request, with what the permission policy allows them and
   * whatever `more` reads from the credentials; the permission decisions and `more` are asked
   * for at once.
   */
  const identify = async <More extends object>(
    given: BackstageCredentials,
    wants: CallerWants,
    more: (
      credentials: BackstageCredentials<BackstageUserPrincipal>,
    ) => Promise<More>,
  ): Promise<Caller & More & { credentials: BackstageCredentials }> => {
    const credentials = userCredentials(given);
    const asksAdmin = wants.admin !== false;
    const basics = [
      ...(asksAdmin ? [accessAdminPermission] : []),
      ...(wants.requires ? [wants.requires] : []),
    ];
    const [extra, decisions, [read]] = await Promise.all([
      more(credentials),
      basics.length > 0
        ? permissions.authorize(
            basics.map(permission => ({ permission })),
            { credentials },
          )
        : [],

      wants.reads
        ? permissions.authorizeConditional(
            [{ permission: accessRequestReadPermission }],
            { credentials },
          )
        : [undefined],
    ]);
    const admin = asksAdmin ? decisions[0] : undefined;
    const required = decisions[asksAdmin ? 1 : 0];
    if (required && required.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You lack the ${wants.requires!.name} permission`,
      );
    }
    if (read?.result === AuthorizeResult.DENY) {
      throw new NotAllowedError('You lack the access.request.read permission');
    }
    return {
      ...extra,
      credentials,
      userEntityRef: credentials.principal.userEntityRef,
      ...(credentials.principal.actor
        ? { actor: credentials.principal.actor.subject }
        : {}),
      isAdmin: admin?.result === AuthorizeResult.ALLOW,
      ...(read?.result === AuthorizeResult.CONDITIONAL
        ? {
            readPolicy: {
              filter: toRequestFilter(read.conditions),
              allows: (request: AccessRequest) => isReadable(read, request),
            },
          }
        : {}),
    };
  };

  const caller: CredentialCallers['caller'] = (credentials, wants = {}) =>
    identify(credentials, wants, async () => ({}));

  return {
    caller,
    requester: (credentials, wants = {}) =>
      identify(credentials, wants, async user => ({
        ownershipEntityRefs: (await userInfo.getUserInfo(user))
          .ownershipEntityRefs,
      })),
    reader: (credentials, also = {}) =>
      caller(credentials, { reads: true, ...also }),
  };
}

/** Callers for the HTTP routes: the signed-in user behind the request (a 401 without one). */
export function createCallers(deps: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
}): Callers {
  const { httpAuth } = deps;
  const callers = createCredentialCallers(deps);
  const user = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });
  return {
    caller: async (req, wants) => callers.caller(await user(req), wants),
    requester: async (req, wants) => callers.requester(await user(req), wants),
    reader: async (req, also) => callers.reader(await user(req), also),
  };
}
