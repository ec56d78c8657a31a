import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
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
 * The example portal's permission policy: everyone may request, read what concerns them, approve
 * what they are an approver of and revoke their own access (the access plugin checks those
 * relations itself), and only the users and groups in `permission.accessAdmins` administer
 * access (`access.admin`: every request, revoking anyone's access, the audit and reconciliation
 * views). Replace it with your organisation's policy.
 */
export class AccessAdminPolicy implements PermissionPolicy {
  constructor(
    private readonly admins: string[],
    private readonly userInfo: Pick<UserInfoService, 'getUserInfo'>,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (request.permission.name !== 'access.admin') {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    return {
      result: ownershipEntityRefs.some(ref => this.admins.includes(ref))
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    };
  }
}

export default createBackendModule({
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
        const admins =
          config.getOptionalStringArray('permission.accessAdmins') ?? [];
        policy.setPolicy(new AccessAdminPolicy(admins, userInfo));
      },
    });
  },
});
