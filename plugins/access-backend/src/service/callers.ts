/**
 * Who is calling a route, and what the permission policy lets them do: the signed-in user
 * (decisions are for users only, never services), asked of the permission framework once per
 * request, with only the decisions the route needs.
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

/** What a route needs to know of its caller besides who they are. */
export interface CallerWants {
  /** The permission policy's conditions on reading requests. */
  reads?: boolean;
  /** A permission the route requires (403 without it). */
  requires?: BasicPermission;
  /** false: the route never needs to know whether the caller administers access. */
  admin?: boolean;
}

/** The ways a route learns who calls it. */
export interface Callers {
  /** A caller, for routes that need only who they are and what they may do. */
  caller(
    req: express.Request,
    wants?: CallerWants,
  ): Promise<Caller & { credentials: BackstageCredentials }>;
  /**
   * A caller with every ref they act for (their groups), for the routes that match flows or
   * assign work by group. The user info service may ask the auth backend for these, so the
   * other routes (the lists among them) do without.
   */
  requester(
    req: express.Request,
    wants?: CallerWants,
  ): Promise<RequestingCaller & { credentials: BackstageCredentials }>;
  /** A caller who reads requests, within what the permission policy lets them read. */
  reader(
    req: express.Request,
    also?: { admin?: boolean },
  ): Promise<Caller & { credentials: BackstageCredentials }>;
}

const toRequestFilter: ConditionTransformer<RequestFilter> =
  createConditionTransformer(Object.values(accessRequestRules));
const isReadable = createConditionAuthorizer<AccessRequest, RequestFilter>(
  Object.values(accessRequestRules),
);

export function createCallers(deps: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
}): Callers {
  const { httpAuth, userInfo, permissions } = deps;

  /**
   * The signed-in user behind the request, with what the permission policy allows them and
   * whatever `more` reads from the credentials; the permission decisions and `more` are asked
   * for at once.
   */
  const identify = async <More extends object>(
    req: express.Request,
    wants: CallerWants,
    more: (
      credentials: BackstageCredentials<BackstageUserPrincipal>,
    ) => Promise<More>,
  ): Promise<Caller & More & { credentials: BackstageCredentials }> => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
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

  const caller: Callers['caller'] = (req, wants = {}) =>
    identify(req, wants, async () => ({}));

  return {
    caller,
    requester: (req, wants = {}) =>
      identify(req, wants, async credentials => ({
        ownershipEntityRefs: (await userInfo.getUserInfo(credentials))
          .ownershipEntityRefs,
      })),
    reader: (req, also = {}) => caller(req, { reads: true, ...also }),
  };
}
