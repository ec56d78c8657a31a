import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  BackendFeature,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Server } from 'http';
import { Knex } from 'knex';
import request from 'supertest';
import { accessPlugin } from '../plugin';

/** Demo-like people: who is in which group, and who administers access. */
export const MEMBERSHIPS: Record<string, string[]> = {
  dana: ['payments'],
  sam: ['data'],
  lee: ['payments', 'team-leads'],
  riley: ['security'],
  pat: ['security'],
  alex: ['platform'],
};
const ADMINS = ['user:default/alex'];

function orgEntities(
  memberships: Record<string, string[]>,
  people: Record<
    string,
    Partial<Entity['metadata']> & { profile?: object }
  > = {},
): Entity[] {
  const groups = new Map<string, string[]>();
  for (const [user, memberOf] of Object.entries(memberships)) {
    for (const group of memberOf) {
      groups.set(group, [...(groups.get(group) ?? []), user]);
    }
  }
  const users: Entity[] = Object.entries(memberships).map(
    ([name, memberOf]) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: {
        name,
        namespace: 'default',
        annotations: people[name]?.annotations ?? {},
        ...(people[name]?.title ? { title: people[name]?.title } : {}),
      },
      spec: {
        memberOf,
        ...(people[name]?.profile ? { profile: people[name]?.profile } : {}),
      },
      relations: memberOf.map(g => ({
        type: 'memberOf',
        targetRef: `group:default/${g}`,
      })),
    }),
  );
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

/**
 * The access config the lifecycle tests run against: one flow of each kind. The engine is off so
 * that these tests see the hand-off to provisioning (granting, revoking) without racing it; the
 * engine's own tests switch it on with test provisioners.
 */
export const TEST_ACCESS_CONFIG = {
  engine: { enabled: false },
  resources: [
    {
      ref: 'payments-db',
      title: 'Payments DB',
      type: 'database',
      integration: 'manual',
      permissions: ['read', 'write'],
      owners: ['payments'],
    },
    {
      ref: 'admin-console',
      title: 'Admin console',
      type: 'app',
      integration: 'manual',
      permissions: ['user', 'admin'],
      owners: ['security'],
    },
    {
      ref: 'warehouse',
      title: 'Warehouse',
      type: 'data-warehouse',
      integration: 'manual',
      permissions: ['read'],
      owners: ['data'],
    },
    {
      ref: 'sandbox',
      title: 'Sandbox',
      type: 'sandbox',
      integration: 'manual',
      permissions: ['use'],
      owners: ['platform'],
      tags: ['self-service'],
    },
  ],
  bundles: [
    {
      id: 'payments-oncall',
      title: 'Payments on-call',
      items: [
        { resource: 'payments-db', permission: 'read' },
        { resource: 'sandbox', permission: 'use' },
      ],
    },
  ],
  flows: [
    {
      id: 'self-service',
      title: 'Self-service',
      resources: { tags: ['self-service'] },
      durations: ['PT1H'],
      onBehalfOf: true,
    },
    {
      id: 'owner-approval',
      title: 'Owner approval',
      resources: { types: ['database'] },
      durations: ['PT1H', 'PT4H'],
      maxDuration: 'PT8H',
      approval: {
        stages: [{ approvers: ['owners'] }],
        requireReason: 'reject',
      },
      justification: { required: true, minLength: 10 },
      allowScheduledStart: true,
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
    {
      id: 'quorum',
      title: 'Two security approvers',
      resources: { types: ['data-warehouse'] },
      durations: ['PT2H'],
      approval: {
        stages: [{ approvers: ['group:security'], minApprovals: 2 }],
      },
      ticket: { required: true, types: ['incident'], pattern: '^INC-[0-9]+$' },
      questions: [
        { id: 'scope', label: 'Which tables?', type: 'text', required: true },
      ],
    },
  ],
};

export async function startAccessBackend(
  options: {
    knex?: Knex;
    access?: object;
    memberships?: Record<string, string[]>;
    /** The permission policy's decision on access.request.read for a user. */
    readDecision?: (userRef: string) => object | undefined;
    /** More features: service factories (a mock auditor to inspect), provisioner modules. */
    features?: BackendFeature[];
    /** Catalog entities besides the people and groups, e.g. annotated resources. */
    entities?: Entity[];
    /** Root config besides `access` (e.g. `app.baseUrl`). */
    config?: object;
    /** Annotations and profiles for the people, by user name. */
    people?: Record<string, Partial<Entity['metadata']> & { profile?: object }>;
  } = {},
) {
  const memberships = options.memberships ?? MEMBERSHIPS;
  const ownership = (userRef: string) => {
    const name = userRef.split('/')[1];
    return [
      userRef,
      ...(memberships[name] ?? []).map(g => `group:default/${g}`),
    ];
  };
  // Whose groups the plugin asked the user info service for, in order.
  const userInfoLookups: string[] = [];
  // The permissions the plugin asked the permission framework about, in order.
  const permissionChecks: string[] = [];
  const backend = await startTestBackend({
    features: [
      accessPlugin,
      ...(options.features ?? []),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      catalogServiceMock.factory({
        entities: [
          ...orgEntities(memberships, options.people),
          ...(options.entities ?? []),
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          access: options.access ?? TEST_ACCESS_CONFIG,
        },
      }),
      mockServices.userInfo.mock({
        getUserInfo: async (credentials: BackstageCredentials) => {
          const userRef = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          userInfoLookups.push(userRef);
          return {
            userEntityRef: userRef,
            ownershipEntityRefs: ownership(userRef),
          };
        },
      }).factory,
      mockServices.permissions.mock({
        authorize: async (requests: any[], { credentials }: any) => {
          permissionChecks.push(...requests.map(r => r.permission.name));
          return requests.map(r => ({
            result:
              r.permission.name !== 'access.admin' ||
              ADMINS.includes(credentials.principal?.userEntityRef)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          }));
        },
        // The read policy: allow, unless a test gives a (conditional) decision per user.
        authorizeConditional: async (requests: any[], { credentials }: any) => {
          permissionChecks.push(...requests.map(r => r.permission.name));
          return requests.map(
            () =>
              options.readDecision?.(credentials.principal?.userEntityRef) ?? {
                result: AuthorizeResult.ALLOW,
              },
          );
        },
      } as any).factory,
    ],
  });

  // A plain http.Server for supertest: the test utils' own server type cannot be named here.
  const server: Server = backend.server;
  const as = (user: string) => {
    const header = mockCredentials.user.header(`user:default/${user}`);
    return {
      get: (path: string) =>
        request(server).get(`/api/access${path}`).set('authorization', header),
      delete: (path: string) =>
        request(server)
          .delete(`/api/access${path}`)
          .set('authorization', header),
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
    userInfoLookups,
    permissionChecks,
    stop: () => backend.stop(),
  };
}
