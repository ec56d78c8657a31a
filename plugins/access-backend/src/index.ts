/**
 * Just-in-time access for Backstage: the backend plugin.
 *
 * @packageDocumentation
 */
export { accessPlugin as default } from './plugin';
