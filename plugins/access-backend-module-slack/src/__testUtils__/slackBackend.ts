import {
  BackstageCredentials,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// The real access plugin, so that the module is tested where it runs (a test-only dependency).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import accessPlugin from '@jit-access/plugin-access-backend';
import { accessProvisionersExtensionPoint } from '@jit-access/plugin-access-node';
import { Server } from 'node:http';
import { Knex } from 'knex';
import request from 'supertest';
import slackModule from '../index';

export const BOT_TOKEN = 'xoxb-test-token';
export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** People and their Slack ids: dana asks, lee and kim approve payments, sam is nobody's approver. */
const PEOPLE: Array<{
  name: string;
  groups: string[];
  title: string;
  slack?: string;
  email?: string;
}> = [
  // Dana is in the owning team too: an approver of the stage, never of her own request.
  {
    name: 'dana',
    groups: ['payments'],
    title: 'Dana Diaz',
    slack: 'UDANA',
  },
  { name: 'lee', groups: ['payments'], title: 'Lee Park', slack: 'ULEE' },
  // Kim has no annotation: found by the e-mail of her Slack profile.
  {
    name: 'kim',
    groups: ['payments'],
    title: 'Kim Ito',
    email: 'kim@example.com',
  },
  { name: 'sam', groups: ['data'], title: 'Sam Roe', slack: 'USAM' },
];

function entities(): Entity[] {
  const users: Entity[] = PEOPLE.map(p => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: p.name,
      namespace: 'default',
      title: p.title,
      annotations: (p.slack ? { 'slack.com/user_id': p.slack } : {}) as Record<
        string,
        string
      >,
    },
    spec: {
      memberOf: p.groups,
      profile: { displayName: p.title, ...(p.email ? { email: p.email } : {}) },
    },
    relations: p.groups.map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g}`,
    })),
  }));
  const groups = [...new Set(PEOPLE.flatMap(p => p.groups))].map(g => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: g, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: PEOPLE.filter(p => p.groups.includes(g)).map(p => ({
      type: 'hasMember',
      targetRef: `user:default/${p.name}`,
    })),
  }));
  return [...users, ...groups];
}

/** A provisioner that grants at once, so that an approval ends in active access. */
export const grantedProvisioner = (granted: string[]) =>
  createBackendModule({
    pluginId: 'access',
    moduleId: 'test-provisioner',
    register(env) {
      env.registerInit({
        deps: { provisioners: accessProvisionersExtensionPoint },
        async init({ provisioners }) {
          provisioners.addProvisioner({
            id: 'test',
            async grant(target) {
              granted.push(`${target.granteeRef} ${target.permission}`);
              return { externalId: target.grantId };
            },
            async revoke() {},
          });
        },
      });
    },
  });

export const ACCESS = {
  engine: { enabled: true },
  chat: {
    retry: { maxAttempts: 5, initialDelay: 'PT0.05S', maxDelay: 'PT0.5S' },
  },
  resources: [
    {
      ref: 'payments-db',
      title: 'Payments DB',
      type: 'database',
      integration: 'test',
      permissions: ['read', 'write'],
      owners: ['payments'],
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
      justification: { required: true, minLength: 10 },
    },
  ],
};

/** A started test backend, as the tests use it. */
export interface SlackBackend {
  server: Server;
  as(user: string): {
    get(path: string): request.Test;
    post(path: string, body?: object): request.Test;
  };
  auditor: { createEvent: jest.Mock };
  logger: { info: jest.Mock };
  stop(): Promise<void>;
}

/** The access plugin with the Slack module and a provisioner, on a real database. */
export async function startSlackBackend(options: {
  knex: Knex;
  apiUrl?: string;
  slack?: object;
  granted?: string[];
}): Promise<SlackBackend> {
  const auditor = mockServices.auditor.mock();
  const logger = mockServices.logger.mock();
  const backend = await startTestBackend({
    features: [
      accessPlugin,
      slackModule,
      grantedProvisioner(options.granted ?? []),
      auditor.factory,
      logger.factory,
      mockServices.database.factory({ knex: options.knex }),
      catalogServiceMock.factory({ entities: entities() }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          access: {
            ...ACCESS,
            chat: {
              ...ACCESS.chat,
              ...(options.slack !== undefined
                ? options.slack
                : {
                    slack: {
                      botToken: BOT_TOKEN,
                      signingSecret: SIGNING_SECRET,
                      apiUrl: options.apiUrl,
                    },
                  }),
            },
          },
        },
      }),
      mockServices.userInfo.mock({
        getUserInfo: async (credentials: BackstageCredentials) => {
          const userRef = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          const person = PEOPLE.find(p => userRef.endsWith(`/${p.name}`));
          return {
            userEntityRef: userRef,
            ownershipEntityRefs: [
              userRef,
              ...(person?.groups ?? []).map(g => `group:default/${g}`),
            ],
          };
        },
      }).factory,
      mockServices.permissions.mock({
        authorize: async (requests: any[]) =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
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
  return {
    server,
    as,
    auditor: auditor as unknown as SlackBackend['auditor'],
    logger: logger as unknown as SlackBackend['logger'],
    stop: () => backend.stop(),
  };
}

/** Waits until the asynchronous `check` holds (polling), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 8000,
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
