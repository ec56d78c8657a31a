/**
 * Reads and validates the `access.postgres` config: the databases this module grants access to
 * and the existing database role each permission stands for.
 */
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { resourceRefConfigSchema } from '@jit-access/plugin-access-node';
import { z } from 'zod';
import { MAX_IDENTIFIER_BYTES } from './sql';

/** Where the provisioner connects to manage login roles. */
export interface PostgresConnectionConfig {
  host: string;
  port: number;
  /** Needs CREATEROLE and the right to grant the configured roles; see the README. */
  user: string;
  password?: string;
  database: string;
  /** Passed to the `pg` driver as is. */
  ssl?: boolean | { rejectUnauthorized?: boolean; ca?: string };
}

/** One database that access can be granted to. */
export interface PostgresDatabaseConfig {
  /** Normalised entity ref of the resource, e.g. `resource:default/payments-db`. */
  resource: string;
  connection: PostgresConnectionConfig;
  /** Host shown to grantees instead of `connection.host`. */
  publicHost?: string;
  /** Port shown to grantees instead of `connection.port`. */
  publicPort?: number;
  /** Permission name (e.g. `read`) to the existing database role granted for it. */
  permissions: Record<string, string>;
  /**
   * What revoking does with what a login role owns in this database (objects it created): `drop`
   * it (the default) or hand it to `quarantineRole`. Never to the connection user.
   */
  onOwnedObjects?: OnOwnedObjects;
  /** With `onOwnedObjects: quarantine`: the powerless NOLOGIN role that receives the objects. */
  quarantineRole?: string;
}

/** See {@link PostgresDatabaseConfig.onOwnedObjects}. */
export type OnOwnedObjects = 'drop' | 'quarantine';

/** The validated and defaulted `access.postgres` config. */
export interface PostgresProvisionerConfig {
  /** The provisioner id resources name as their integration. Default `postgres`. */
  id: string;
  /** Prefix of the login roles this module creates (and the only roles it touches). */
  rolePrefix: string;
  databases: PostgresDatabaseConfig[];
}

export const DEFAULT_PROVISIONER_ID = 'postgres';
export const DEFAULT_ROLE_PREFIX = 'jit_';
const DEFAULT_PORT = 5432;
/** Leaves room for a grant id (a UUID without dashes is 32 characters) within 63 bytes. */
const MAX_PREFIX_LENGTH = 30;

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const PORT_MESSAGE = 'must be a port number (1-65535)';

/** A port; a string of digits (as environment substitutions give) counts too. */
const port = z.preprocess(
  value =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  z
    .number({ invalid_type_error: PORT_MESSAGE })
    .int(PORT_MESSAGE)
    .min(1, PORT_MESSAGE)
    .max(65535, PORT_MESSAGE),
);

/**
 * A role name as PostgreSQL stores it (case and all; it is always quoted). A `?` is refused
 * because the query builder would read it as a parameter placeholder.
 */
const roleName = z
  .string()
  .min(1, 'must name a database role')
  .refine(value => Buffer.byteLength(value) <= MAX_IDENTIFIER_BYTES, {
    message: `must be at most ${MAX_IDENTIFIER_BYTES} bytes long (PostgreSQL's identifier limit)`,
  })
  .refine(value => !/[\0?]/.test(value), {
    message: 'must not contain a NUL character or "?"',
  });

const connectionSchema = z
  .object({
    host: nonEmpty,
    port: port.optional(),
    user: nonEmpty,
    password: z.string().optional(),
    database: nonEmpty,
    ssl: z
      .union([
        z.boolean(),
        z
          .object({
            rejectUnauthorized: z.boolean().optional(),
            ca: z.string().optional(),
          })
          .strict(),
      ])
      .optional(),
  })
  .strict();

const databaseSchema = z
  .object({
    resource: resourceRefConfigSchema,
    connection: connectionSchema,
    publicHost: nonEmpty.optional(),
    publicPort: port.optional(),
    permissions: z
      .record(nonEmpty, roleName)
      .refine(value => Object.keys(value).length > 0, {
        message: 'must map at least one permission to a database role',
      }),
    onOwnedObjects: z
      .enum(['drop', 'quarantine'], {
        errorMap: () => ({ message: "must be 'drop' or 'quarantine'" }),
      })
      .default('drop'),
    quarantineRole: roleName.optional(),
  })
  .strict();

const postgresSchema = z
  .object({
    id: nonEmpty.default(DEFAULT_PROVISIONER_ID),
    rolePrefix: z
      .string()
      .regex(
        new RegExp(`^[a-z_][a-z0-9_]{0,${MAX_PREFIX_LENGTH - 1}}$`),
        `must be 1-${MAX_PREFIX_LENGTH} lower-case letters, digits or underscores, not starting with a digit`,
      )
      .refine(value => !value.startsWith('pg_'), {
        message: 'must not start with "pg_" (reserved by PostgreSQL)',
      })
      .default(DEFAULT_ROLE_PREFIX),
    databases: z
      .array(databaseSchema)
      .min(1, 'must list at least one database'),
  })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Map<string, number>();
    const permissionRoles = new Set(
      value.databases.flatMap(database => Object.values(database.permissions)),
    );
    value.databases.forEach((database, index) => {
      const quarantine = quarantineProblem(database, permissionRoles);
      if (quarantine) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['databases', index, 'quarantineRole'],
          message: quarantine,
        });
      }
      if (typeof database.resource !== 'string') {
        return; // Already reported as not an entity ref.
      }
      const key = database.resource.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['databases', index, 'resource'],
          message: `'${database.resource}' is already configured at databases[${first}]`,
        });
      } else {
        seen.set(key, index);
      }
    });
  });

/**
 * What is wrong with a database's `quarantineRole` for its `onOwnedObjects`, if anything. The
 * role's attributes are checked in the database, before it is first given anything.
 */
function quarantineProblem(
  database: z.infer<typeof databaseSchema>,
  permissionRoles: Set<string>,
): string | undefined {
  const role = database.quarantineRole;
  if (database.onOwnedObjects !== 'quarantine') {
    return role === undefined
      ? undefined
      : 'is only used with onOwnedObjects: quarantine';
  }
  if (role === undefined) {
    return 'is required with onOwnedObjects: quarantine (a NOLOGIN role without privileges, see the README)';
  }
  if (role === database.connection.user) {
    return 'must not be the connection user: objects of revoked logins are never handed to it';
  }
  if (permissionRoles.has(role)) {
    return "must not be a role granted for a permission: it would give the objects of revoked logins that role's privileges";
  }
  return undefined;
}

function formatPath(base: string, path: (string | number)[]): string {
  return path.reduce<string>(
    (result, segment) =>
      typeof segment === 'number'
        ? `${result}[${segment}]`
        : `${result}.${segment}`,
    base,
  );
}

/**
 * Validates a raw `access.postgres` value. Throws an InputError naming every field that is wrong,
 * e.g. `access.postgres.databases[0].permissions: must map at least one permission ...`.
 */
export function parsePostgresProvisionerConfig(
  value: unknown,
  field = 'access.postgres',
): PostgresProvisionerConfig {
  const result = postgresSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      issue => `${formatPath(field, issue.path)}: ${issue.message}`,
    );
    throw new InputError(
      `Invalid ${field} configuration: ${problems.join('; ')}`,
    );
  }
  return {
    id: result.data.id,
    rolePrefix: result.data.rolePrefix,
    databases: result.data.databases.map(database => ({
      resource: database.resource,
      connection: {
        ...database.connection,
        port: database.connection.port ?? DEFAULT_PORT,
      },
      publicHost: database.publicHost,
      publicPort: database.publicPort,
      permissions: database.permissions,
      onOwnedObjects: database.onOwnedObjects,
      ...(database.quarantineRole !== undefined
        ? { quarantineRole: database.quarantineRole }
        : {}),
    })),
  };
}

/**
 * Reads `access.postgres` from the app config; undefined when it is absent (the module then adds
 * no provisioner).
 */
export function readPostgresProvisionerConfig(
  config: Config,
): PostgresProvisionerConfig | undefined {
  const section = config.getOptionalConfig('access.postgres');
  if (!section) {
    return undefined;
  }
  return parsePostgresProvisionerConfig(section.get());
}
