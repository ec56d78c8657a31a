/**
 * A development-only Backstage auth provider that signs in as any catalog User by name.
 *
 * @packageDocumentation
 */
export { authModuleDemoProvider as default } from './module';
export { signInAsCatalogUser } from './module';
export { DEMO_USER_HEADER } from './authenticator';
export type { DemoSignInResult } from './authenticator';
