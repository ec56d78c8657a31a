/**
 * An example permission policy for apps that install just-in-time access: only the users and
 * groups in `permission.accessAdmins` administer access, and everything else is allowed.
 *
 * ```ts
 * backend.add(import('@jit-access/plugin-access-backend/policy'));
 * ```
 *
 * @packageDocumentation
 */
export {
  accessAdminPolicyModule as default,
  AccessAdminPolicy,
  readAccessAdmins,
} from './permissions/AccessAdminPolicy';
