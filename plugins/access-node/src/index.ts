/**
 * Extension points and types for modules that extend the access backend plugin.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './provisioner';
export * from './resourceRefs';
export * from './acceptance';
export * from './chat';
