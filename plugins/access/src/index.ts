/**
 * Just-in-time access for Backstage: the frontend plugin.
 *
 * @packageDocumentation
 */
export { accessPlugin, AccessPage, EntityAccessCard } from './plugin';
export { accessApiRef, AccessClient } from './api';
export type { AccessApi, Caller } from './api';
export type {
  AuditVerification,
  ExtendOptions,
  FlowMatch,
  FlowMatchResult,
  InboxOptions,
  JustificationCheck,
  JustificationFeedback,
  ListRequestsOptions,
  ListResourcesOptions,
  ListTasksOptions,
  Page,
  PageOptions,
  RequestView,
  Resubmission,
  Submission,
  Submitted,
  UncoveredItem,
} from '@jit-access/plugin-access-common';
export { rootRouteRef, requestRouteRef, newRequestRouteRef } from './routes';
export {
  isAccessRequestable,
  ACCESS_INTEGRATION_ANNOTATION,
  ACCESS_PERMISSIONS_ANNOTATION,
} from './components/EntityAccessCard/isAccessRequestable';
