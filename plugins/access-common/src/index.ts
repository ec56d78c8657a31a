/**
 * Isomorphic types, statuses and permissions of the just-in-time access plugins.
 *
 * @packageDocumentation
 */
export * from './api';
export * from './domain';
export * from './requests';
export * from './permissions';
export * from './status';
export * from './wire';
export * from './signals';
export * from './annotations';
export * from './agents';
