/**
 * The real access plugin with this module, a recording provisioner and the local Teams fakes, on
 * a real database: what the end-to-end tests drive through the messaging endpoint.
 */
import {
  BackendFeature,
  createBackendModule,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the end-to-end tests run the real plugin
import accessPlugin from '@jit-access/plugin-access-backend';
import {
  AccessProvisioner,
  accessProvisionersExtensionPoint,
} from '@jit-access/plugin-access-node';
import { Server } from 'http';
import { Knex } from 'knex';
import request from 'supertest';
import teamsModule from '../index';
import { TeamsFakes } from './teamsFakes';

const POSTGRES_IDS = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
  'POSTGRES_14',
  'POSTGRES_13',
  'POSTGRES_12',
] as TestDatabaseId[];

/**
 * SQLite, and each PostgreSQL given through Backstage's
 * `BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING`; with `JIT_ACCESS_REQUIRE_POSTGRES`
 * set, a missing PostgreSQL fails instead of testing SQLite alone.
 */
export function createTestDatabases(): TestDatabases {
  const postgres = POSTGRES_IDS.filter(
    id =>
      process.env[
        `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`
      ],
  );
  if (postgres.length === 0 && process.env.JIT_ACCESS_REQUIRE_POSTGRES) {
    throw new Error(
      'JIT_ACCESS_REQUIRE_POSTGRES is set but no BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING is',
    );
  }
  return TestDatabases.create({
    ids: ['SQLITE_3', ...postgres],
    disableDocker: true,
  });
}

/** The people: groups, and how Teams knows them. */
export const PEOPLE: Record<
  string,
  {
    groups: string[];
    title: string;
    aad?: string;
    email?: string;
    slack?: string;
  }
> = {
  dana: { groups: ['payments'], title: 'Dana Diaz', aad: 'aad-dana' },
  lee: {
    groups: ['payments', 'team-leads'],
    title: 'Lee Park',
    aad: 'aad-lee',
    // Lee is in Slack too.
    slack: 'ULEE',
  },
  pat: { groups: ['payments'], title: 'Pat Quinn', aad: 'aad-pat' },
  sam: { groups: ['data'], title: 'Sam Roe', aad: 'aad-sam' },
  // Known to Teams by e-mail only: no object id annotation on the User entity.
  riley: {
    groups: ['security'],
    title: 'Riley Stone',
    email: 'riley@example.com',
  },
};

function catalogEntities(): Entity[] {
  const groups = new Map<string, string[]>();
  const users: Entity[] = Object.entries(PEOPLE).map(([name, person]) => {
    for (const group of person.groups) {
      groups.set(group, [...(groups.get(group) ?? []), name]);
    }
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: {
        name,
        namespace: 'default',
        title: person.title,
        annotations: {
          ...(person.aad && { 'graph.microsoft.com/user-id': person.aad }),
          ...(person.slack && { 'slack.com/user_id': person.slack }),
        } as Record<string, string>,
      },
      spec: {
        memberOf: person.groups,
        profile: {
          displayName: person.title,
          ...(person.email && { email: person.email }),
        },
      },
      relations: person.groups.map(g => ({
        type: 'memberOf',
        targetRef: `group:default/${g}`,
      })),
    };
  });
  const groupEntities: Entity[] = [...groups].map(([name, members]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: members.map(m => ({
      type: 'hasMember',
      targetRef: `user:default/${m}`,
    })),
  }));
  return [...users, ...groupEntities];
}

const ACCESS_CONFIG = {
  engine: { enabled: true },
  credentials: { encryptionKey: 'a test key that is long enough to be used' },
  resources: [
    {
      ref: 'payments-db',
      title: 'Payments DB',
      type: 'database',
      integration: 'test',
      permissions: ['read'],
      owners: ['payments'],
    },
    {
      ref: 'admin-console',
      title: 'Admin console',
      type: 'app',
      integration: 'test',
      permissions: ['user'],
      owners: ['security'],
    },
  ],
  flows: [
    {
      id: 'owner-approval',
      title: 'Owner approval',
      resources: { types: ['database'] },
      durations: ['PT1H'],
      approval: {
        stages: [{ approvers: ['owners'] }],
        requireReason: 'reject',
      },
    },
    {
      id: 'two-stage',
      title: 'Team lead, then security',
      resources: { refs: ['admin-console'] },
      durations: ['PT30M'],
      approval: {
        stages: [
          { approvers: ['group:team-leads'] },
          { approvers: ['group:security'] },
        ],
      },
    },
  ],
};

/** A provisioner that grants and revokes in memory, and says what it was asked. */
export function memoryProvisioner() {
  const calls: Array<{
    action: string;
    granteeRef: string;
    resourceRef: string;
  }> = [];
  const provisioner: AccessProvisioner = {
    id: 'test',
    async grant(target) {
      calls.push({
        action: 'grant',
        granteeRef: target.granteeRef,
        resourceRef: target.resourceRef,
      });
    },
    async revoke(target) {
      calls.push({
        action: 'revoke',
        granteeRef: target.granteeRef,
        resourceRef: target.resourceRef,
      });
    },
  };
  return { provisioner, calls };
}

export async function startAccessWithTeams(options: {
  knex: Knex;
  fakes: TeamsFakes;
  provisioner: AccessProvisioner;
  /** More modules (another chat), and their `access.chat` sections. */
  features?: BackendFeature[];
  chat?: Record<string, JsonObject>;
}) {
  const auditor = mockServices.auditor.mock();
  const provisioners = createBackendModule({
    pluginId: 'access',
    moduleId: 'test-provisioners',
    register(env) {
      env.registerInit({
        deps: { extension: accessProvisionersExtensionPoint },
        async init({ extension }) {
          extension.addProvisioner(options.provisioner);
        },
      });
    },
  });
  const ownership = (userRef: string) => [
    userRef,
    ...(PEOPLE[userRef.split('/')[1]]?.groups ?? []).map(
      g => `group:default/${g}`,
    ),
  ];
  const backend = await startTestBackend({
    features: [
      accessPlugin,
      teamsModule,
      provisioners,
      ...(options.features ?? []),
      auditor.factory,
      mockServices.database.factory({ knex: options.knex }),
      catalogServiceMock.factory({ entities: catalogEntities() }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          access: {
            ...ACCESS_CONFIG,
            chat: {
              retry: {
                maxAttempts: 3,
                initialDelay: 'PT0.05S',
                maxDelay: 'PT0.2S',
              },
              teams: options.fakes.teamsConfig,
              ...options.chat,
            },
          },
        },
      }),
      mockServices.userInfo.mock({
        getUserInfo: async (credentials: BackstageCredentials) => {
          const userRef = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: userRef,
            ownershipEntityRefs: ownership(userRef),
          };
        },
      }).factory,
      mockServices.permissions.mock({
        authorize: async (requests: any[]) =>
          requests.map(r => ({
            result:
              r.permission.name === 'access.admin'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
        authorizeConditional: async (requests: any[]) =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      } as any).factory,
    ],
  });
  const server: Server = backend.server;
  const as = (user: string) => {
    const header = mockCredentials.user.header(`user:default/${user}`);
    return {
      get: (path: string) =>
        request(server).get(`/api/access${path}`).set('authorization', header),
      post: (path: string, body: object = {}) =>
        request(server)
          .post(`/api/access${path}`)
          .set('authorization', header)
          .send(body),
    };
  };
  return { server, as, auditor, stop: () => backend.stop() };
}

/** Waits for something the outbox or the engine does shortly. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > until) {
      throw new Error('Timed out waiting');
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}
