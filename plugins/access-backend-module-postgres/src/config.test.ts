import { ConfigReader } from '@backstage/config';
import {
  parsePostgresProvisionerConfig,
  readPostgresProvisionerConfig,
} from './config';

const database = {
  resource: 'payments-db',
  connection: {
    host: 'db.internal',
    user: 'jit_manager',
    password: 'secret',
    database: 'payments',
  },
  permissions: { read: 'payments_readonly', write: 'payments_readwrite' },
};

function errorOf(value: unknown): string {
  try {
    parsePostgresProvisionerConfig(value);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('access.postgres config', () => {
  it('is absent when not configured', () => {
    expect(
      readPostgresProvisionerConfig(new ConfigReader({ access: {} })),
    ).toBeUndefined();
    expect(readPostgresProvisionerConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('fills in defaults and normalises the resource ref', () => {
    expect(
      readPostgresProvisionerConfig(
        new ConfigReader({ access: { postgres: { databases: [database] } } }),
      ),
    ).toEqual({
      id: 'postgres',
      rolePrefix: 'jit_',
      databases: [
        {
          resource: 'resource:default/payments-db',
          connection: {
            host: 'db.internal',
            port: 5432,
            user: 'jit_manager',
            password: 'secret',
            database: 'payments',
          },
          publicHost: undefined,
          publicPort: undefined,
          permissions: {
            read: 'payments_readonly',
            write: 'payments_readwrite',
          },
          onOwnedObjects: 'drop',
        },
      ],
    });
  });

  it('takes a quarantine role for what revoked logins owned', () => {
    const config = parsePostgresProvisionerConfig({
      databases: [
        {
          ...database,
          onOwnedObjects: 'quarantine',
          quarantineRole: 'jit_quarantine',
        },
        {
          ...database,
          resource: 'reports-db',
          onOwnedObjects: 'drop',
        },
      ],
    });
    expect(
      config.databases.map(d => [d.onOwnedObjects, d.quarantineRole]),
    ).toEqual([
      ['quarantine', 'jit_quarantine'],
      ['drop', undefined],
    ]);
  });

  it('takes an id, a prefix, ports given as strings and public host and port', () => {
    const config = parsePostgresProvisionerConfig({
      id: 'payments-postgres',
      rolePrefix: 'tmp_',
      databases: [
        {
          ...database,
          resource: 'Resource:finance/payments-db',
          connection: { ...database.connection, port: '6543', ssl: true },
          publicHost: 'payments.example.com',
          publicPort: 6432,
        },
      ],
    });
    expect(config.id).toBe('payments-postgres');
    expect(config.rolePrefix).toBe('tmp_');
    expect(config.databases[0]).toMatchObject({
      resource: 'resource:finance/payments-db',
      connection: { port: 6543, ssl: true },
      publicHost: 'payments.example.com',
      publicPort: 6432,
    });
  });

  it.each([
    [
      { databases: [{ ...database, permissions: {} }] },
      'access.postgres.databases[0].permissions: must map at least one permission',
    ],
    [
      { databases: [database, { ...database, permissions: { read: '' } }] },
      'access.postgres.databases[1].permissions.read: must name a database role',
    ],
    [
      { databases: [{ ...database, permissions: { read: 'what?' } }] },
      'access.postgres.databases[0].permissions.read: must not contain',
    ],
    [
      { databases: [{ ...database, permissions: { read: 'r'.repeat(64) } }] },
      'access.postgres.databases[0].permissions.read: must be at most 63 bytes',
    ],
    [{ databases: [] }, 'access.postgres.databases: must list at least one'],
    [{}, 'access.postgres.databases: Required'],
    [
      {
        databases: [
          {
            ...database,
            connection: { ...database.connection, port: 'fivefourthreetwo' },
          },
        ],
      },
      'access.postgres.databases[0].connection.port: must be a port number',
    ],
    [
      {
        databases: [
          { ...database, connection: { ...database.connection, port: 70000 } },
        ],
      },
      'access.postgres.databases[0].connection.port: must be a port number',
    ],
    [
      {
        databases: [
          { ...database, connection: { ...database.connection, host: '' } },
        ],
      },
      'access.postgres.databases[0].connection.host: must not be empty',
    ],
    [
      { databases: [{ ...database, resource: 'a:b:c/d' }] },
      "access.postgres.databases[0].resource: 'a:b:c/d' is not an entity ref",
    ],
    [
      {
        databases: [
          database,
          { ...database, resource: 'resource:default/payments-db' },
        ],
      },
      "access.postgres.databases[1].resource: 'resource:default/payments-db' is already configured at databases[0]",
    ],
    [
      { rolePrefix: 'Jit-', databases: [database] },
      'access.postgres.rolePrefix: must be 1-30 lower-case letters',
    ],
    [
      { rolePrefix: 'pg_jit_', databases: [database] },
      'access.postgres.rolePrefix: must not start with "pg_"',
    ],
    [
      { databases: [{ ...database, onOwnedObjects: 'reassign' }] },
      "access.postgres.databases[0].onOwnedObjects: must be 'drop' or 'quarantine'",
    ],
    [
      { databases: [{ ...database, onOwnedObjects: 'quarantine' }] },
      'access.postgres.databases[0].quarantineRole: is required with onOwnedObjects: quarantine',
    ],
    [
      { databases: [{ ...database, quarantineRole: 'jit_quarantine' }] },
      'access.postgres.databases[0].quarantineRole: is only used with onOwnedObjects: quarantine',
    ],
    [
      {
        databases: [
          {
            ...database,
            onOwnedObjects: 'quarantine',
            quarantineRole: 'jit_manager',
          },
        ],
      },
      'access.postgres.databases[0].quarantineRole: must not be the connection user',
    ],
    [
      {
        databases: [
          {
            ...database,
            onOwnedObjects: 'quarantine',
            quarantineRole: 'payments_readwrite',
          },
        ],
      },
      'access.postgres.databases[0].quarantineRole: must not be a role granted for a permission',
    ],
    [
      {
        databases: [
          {
            ...database,
            onOwnedObjects: 'quarantine',
            quarantineRole: 'what?',
          },
        ],
      },
      'access.postgres.databases[0].quarantineRole: must not contain',
    ],
    [
      { databases: [{ ...database, permission: { read: 'x' } }] },
      "access.postgres.databases[0]: Unrecognized key(s) in object: 'permission'",
    ],
  ])('refuses %j naming the field', (value, message) => {
    expect(errorOf(value)).toContain(message);
  });

  it('reports every problem at once', () => {
    const message = errorOf({
      rolePrefix: '9',
      databases: [{ ...database, permissions: {}, publicPort: 0 }],
    });
    expect(message).toMatch(/^Invalid access\.postgres configuration: /);
    expect(message).toContain('access.postgres.rolePrefix');
    expect(message).toContain('access.postgres.databases[0].permissions');
    expect(message).toContain('access.postgres.databases[0].publicPort');
  });
});
