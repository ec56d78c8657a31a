/**
 * Just-in-time access to PostgreSQL databases: a provisioner module for the access backend that
 * grants temporary login roles and drops them when access ends.
 *
 * @packageDocumentation
 */
export { accessModulePostgresProvisioner as default } from './module';
export { accessModulePostgresProvisioner } from './module';
export { createPostgresProvisioner } from './provisioner';
export type {
  PostgresGrantResult,
  PostgresProvisioner,
  PostgresProvisionerOptions,
} from './provisioner';
export {
  parsePostgresProvisionerConfig,
  readPostgresProvisionerConfig,
} from './config';
export type {
  OnOwnedObjects,
  PostgresConnectionConfig,
  PostgresDatabaseConfig,
  PostgresProvisionerConfig,
} from './config';
