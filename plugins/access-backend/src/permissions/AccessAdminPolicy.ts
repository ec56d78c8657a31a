import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/**
 * A permission policy that keeps access administration to the users and groups it is given:
 * `access.admin` (every request, revoking anyone's access, the audit and reconciliation views) is
 * allowed only to them, and everything else is allowed, as Backstage's allow-all policy does
 * (the access plugin checks who may read, approve and revoke what itself). With no admins, nobody
 * administers access.
 *
 * @public
 */
export class AccessAdminPolicy implements PermissionPolicy {
  private readonly admins: Set<string>;

  constructor(
    admins: string[],
    private readonly userInfo: Pick<UserInfoService, 'getUserInfo'>,
  ) {
    // Entity refs compare without regard to case, as the catalog does.
    this.admins = new Set(admins.map(ref => ref.toLocaleLowerCase('en-US')));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (request.permission.name !== 'access.admin') {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user || this.admins.size === 0) {
      return { result: AuthorizeResult.DENY };
    }
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    return {
      result: ownershipEntityRefs.some(ref =>
        this.admins.has(ref.toLocaleLowerCase('en-US')),
      )
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    };
  }
}

/**
 * Reads `permission.accessAdmins`: user or group refs, the kind defaulting to `group` and the
 * namespace to `default` (`platform` is `group:default/platform`). Missing: nobody.
 *
 * @public
 */
export function readAccessAdmins(config: Config): string[] {
  const key = 'permission.accessAdmins';
  return (config.getOptionalStringArray(key) ?? []).map((ref, index) => {
    try {
      const parsed = parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      const kind = parsed.kind.toLocaleLowerCase('en-US');
      if (kind !== 'group' && kind !== 'user') {
        throw new Error(`expected a user or group, got kind '${parsed.kind}'`);
      }
      return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
    } catch (error) {
      throw new InputError(
        `Invalid config at ${key}[${index}]: '${ref}' is not a user or group reference (${
          (error as Error).message
        })`,
      );
    }
  });
}

/**
 * The permission backend module that installs {@link AccessAdminPolicy} with the admins in
 * `permission.accessAdmins`. It replaces your app's policy module (for a new app:
 * `@backstage/plugin-permission-backend-module-allow-all-policy`).
 *
 * @public
 */
export const accessAdminPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'access-admin-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          new AccessAdminPolicy(readAccessAdmins(config), userInfo),
        );
      },
    });
  },
});
