/**
 * Just-in-time access for Backstage: the backend plugin.
 *
 * @packageDocumentation
 */
export { accessPlugin as default } from './plugin';
export {
  accessRequestConditions,
  accessRequestResourceRef,
  accessRequestRules,
  createAccessRequestConditionalDecision,
} from './permissions/rules';
export type { RequestFilter } from './permissions/rules';
export {
  AccessAdminPolicy,
  readAccessAdmins,
} from './permissions/AccessAdminPolicy';
