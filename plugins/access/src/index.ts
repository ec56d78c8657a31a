/**
 * Just-in-time access for Backstage: the frontend plugin.
 *
 * @packageDocumentation
 */
export { accessPlugin, AccessPage } from './plugin';
export { accessApiRef, AccessClient } from './api';
export type { AccessApi } from './api';
