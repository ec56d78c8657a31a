import {
  AccessCredentials,
  ProvisioningError,
  ProvisioningTarget,
  sameResourceRef,
} from '@jit-access/plugin-access-node';
import { PostgresDatabaseConfig, PostgresProvisionerConfig } from './config';

/** The configured database of the target's resource; fails permanently when there is none. */
export function databaseFor(
  config: PostgresProvisionerConfig,
  target: ProvisioningTarget,
): PostgresDatabaseConfig {
  const database = config.databases.find(candidate =>
    sameResourceRef(candidate.resource, target.resourceRef),
  );
  if (!database) {
    throw new ProvisioningError(
      `No PostgreSQL database is configured for ${target.resourceRef} (access.postgres.databases)`,
      { permanent: true },
    );
  }
  return database;
}

/** The role configured for the target's permission; fails permanently when there is none. */
export function grantedRoleFor(
  database: PostgresDatabaseConfig,
  target: ProvisioningTarget,
): string {
  const role = Object.prototype.hasOwnProperty.call(
    database.permissions,
    target.permission,
  )
    ? database.permissions[target.permission]
    : undefined;
  if (!role) {
    throw new ProvisioningError(
      `Permission '${target.permission}' is not configured for ${
        database.resource
      } (configured: ${Object.keys(database.permissions).join(', ')})`,
      { permanent: true },
    );
  }
  return role;
}

/** The end of the access as an ISO timestamp; fails permanently when it is not a date. */
export function endOf(target: ProvisioningTarget): string {
  const end = new Date(target.endsAt);
  if (Number.isNaN(end.getTime())) {
    throw new ProvisioningError(
      `Grant ${target.grantId} has no valid end ('${target.endsAt}')`,
      { permanent: true },
    );
  }
  return end.toISOString();
}

/** What the grantee connects with: the public host and port when configured. */
export function credentialsFor(
  database: PostgresDatabaseConfig,
  user: string,
  password: string,
): AccessCredentials {
  return {
    host: database.publicHost ?? database.connection.host,
    port: String(database.publicPort ?? database.connection.port),
    database: database.connection.database,
    user,
    password,
  };
}
