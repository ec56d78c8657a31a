import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  AccessProvisioner,
  accessProvisionersExtensionPoint,
  GrantResult,
  ProvisioningContext,
  ProvisioningTarget,
} from '@jit-access/plugin-access-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { AccessDatabase, accessStores } from '../database/AccessDatabase';
import { CredentialVault } from '../engine/CredentialVault';
import { ProvisioningEngine } from '../engine/ProvisioningEngine';
import { ProvisionerGateway } from '../provisioning/ProvisionerGateway';
import { ResourceCatalog } from '../resources/ResourceCatalog';

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public current = new Date('2026-11-22T10:00:00.000Z')) {}
  now = () => new Date(this.current.getTime());
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Call {
  action: 'grant' | 'revoke' | 'extend' | 'reset';
  target: ProvisioningTarget;
  ctx: ProvisioningContext;
}

/**
 * A provisioner that records its calls and answers what each test scripts: by default every call
 * succeeds; `script` can answer a call with a result or throw.
 */
export function recordingProvisioner(
  id: string,
  options: {
    overlap?: 'shared' | 'independent';
    grant?: (
      target: ProvisioningTarget,
      n: number,
    ) => Promise<GrantResult | void>;
    revoke?: (target: ProvisioningTarget, n: number) => Promise<void>;
    observe?: AccessProvisioner['observe'];
  } = {},
) {
  const calls: Call[] = [];
  const count = (action: Call['action'], grantId: string) =>
    calls.filter(c => c.action === action && c.target.grantId === grantId)
      .length;
  const provisioner: AccessProvisioner = {
    id,
    overlap: options.overlap,
    async grant(target, ctx) {
      calls.push({ action: 'grant', target, ctx });
      return options.grant?.(target, count('grant', target.grantId));
    },
    async revoke(target, ctx) {
      calls.push({ action: 'revoke', target, ctx });
      return options.revoke?.(target, count('revoke', target.grantId));
    },
    async extend(target, ctx) {
      calls.push({ action: 'extend', target, ctx });
    },
    async resetCredentials(target, ctx) {
      calls.push({ action: 'reset', target, ctx });
      return { user: 'u', password: `new-${calls.length}` };
    },
    ...(options.observe ? { observe: options.observe } : {}),
  };
  return { provisioner, calls, count };
}

/** Resources the engine looks up for types and owners. */
export function fakeResources(
  owners: Record<string, string[]> = {},
): ResourceCatalog {
  return {
    getByRefs: async (refs: string[]) =>
      new Map(
        refs.map(ref => [
          ref,
          {
            ref,
            title: ref,
            type: 'database',
            integration: 'test',
            permissions: ['read', 'write'],
            owners: owners[ref] ?? ['group:default/payments'],
            tags: [],
            source: 'config' as const,
          },
        ]),
      ),
  } as unknown as ResourceCatalog;
}

export async function migratedStore(knex: Knex): Promise<Knex> {
  const store = await AccessDatabase.create({
    database: mockServices.database({ knex }),
  });
  return store.db;
}

/**
 * An approved request as RequestService leaves it: `granting` (or `scheduled`) with its grants
 * queued for the start. Returns the request id and its grant ids, in item order.
 */
export async function seedApprovedRequest(
  db: Knex,
  options: {
    now: Date;
    items?: Array<{ resourceRef: string; permission: string }>;
    granteeRef?: string;
    provisionerId?: string;
    startsAt?: Date;
    endsAt: Date;
    flowId?: string;
  },
): Promise<{ requestId: string; grantIds: string[] }> {
  const requestId = randomUUID();
  const items = options.items ?? [
    { resourceRef: 'resource:default/payments-db', permission: 'read' },
  ];
  const grantee = options.granteeRef ?? 'user:default/dana';
  const scheduled =
    options.startsAt !== undefined && options.startsAt > options.now;
  await db('access_requests').insert({
    id: requestId,
    submission_id: randomUUID(),
    requester_ref: grantee,
    grantee_ref: grantee,
    flow_id: options.flowId ?? 'self-service',
    status: scheduled ? 'scheduled' : 'granting',
    version: 1,
    starts_at: options.startsAt ?? null,
    ends_at: options.endsAt,
    created_at: options.now,
    updated_at: options.now,
  });
  const grantIds = items.map(() => randomUUID());
  await db('access_grants').insert(
    items.map((item, i) => ({
      id: grantIds[i],
      request_id: requestId,
      resource_ref: item.resourceRef,
      permission: item.permission,
      provisioner_id: options.provisionerId ?? 'test',
      grantee_ref: grantee,
      state: 'queued',
      version: 1,
      next_attempt_at: scheduled ? options.startsAt : options.now,
      expires_at: options.endsAt,
    })),
  );
  return { requestId, grantIds };
}

/** A gateway to these provisioners, with the default call timeout unless given. */
export function testGateway(
  provisioners: AccessProvisioner[],
  callTimeoutMs = 60_000,
) {
  return new ProvisionerGateway({
    provisioners: new Map(provisioners.map(p => [p.id, p])),
    logger: mockServices.rootLogger({ level: 'none' }),
    callTimeoutMs,
  });
}

export function testEngine(
  db: Knex,
  clock: TestClock,
  provisioners: AccessProvisioner[],
  extra: Partial<ConstructorParameters<typeof ProvisioningEngine>[0]> = {},
) {
  return new ProvisioningEngine({
    stores: accessStores(db),
    gateway: testGateway(provisioners),
    resources: fakeResources(),
    vault: new CredentialVault('a test key that is long enough to be used'),
    logger: mockServices.rootLogger({ level: 'none' }),
    now: clock.now,
    retry: { maxAttempts: 3, initialDelayMs: 1000, maxDelayMs: 4000 },
    ...extra,
  });
}

export async function requestStatus(db: Knex, id: string) {
  return (await db('access_requests').where({ id }).first()).status;
}

export async function grantRow(db: Knex, id: string) {
  return db('access_grants').where({ id }).first();
}

/** A backend module that adds the given provisioners to the access plugin. */
export function provisionersModule(provisioners: AccessProvisioner[]) {
  return createBackendModule({
    pluginId: 'access',
    moduleId: 'test-provisioners',
    register(env) {
      env.registerInit({
        deps: { extension: accessProvisionersExtensionPoint },
        async init({ extension }) {
          extension.addProvisioner(...provisioners);
        },
      });
    },
  });
}

/** Waits for the engine, which works right after an answer, to get somewhere. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  // Up to 20 s: the engine answers in milliseconds, but a busy CI machine can stall it.
  for (let i = 0; i < 800; i++) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  throw new Error('The engine did not get there in time');
}
