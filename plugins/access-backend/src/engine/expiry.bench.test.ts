/*
 * The expiry benchmark (not a test: skipped unless JIT_ACCESS_BENCH_RESULTS names where to write
 * its figures, as bench/expiry/run.sh does): 10,000 grants expiring in the same second against
 * PostgreSQL, with a provisioner that records when it is called, and the latency from an
 * approval to the grant call.
 */
import { accessStores } from '../database/AccessDatabase';
import { mockServices } from '@backstage/backend-test-utils';
import { AccessProvisioner } from '@jit-access/plugin-access-node';
import { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import {
  fakeResources,
  migratedStore,
  testGateway,
} from '../__testUtils__/engineFixtures';
import {
  accessTestDatabaseIds,
  createAccessTestDatabases,
} from '../__testUtils__/testDatabases';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { accessProvisionersExtensionPoint } from '@jit-access/plugin-access-node';
import { AccessEvents } from '../events/AccessEvents';
import { CredentialVault } from './CredentialVault';
import { ProvisioningEngine } from './ProvisioningEngine';
import { statementProfile } from '../__testUtils__/statementProfile';

const GRANTS = Number(process.env.BENCH_GRANTS ?? 10_000);
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 300);
/** Runs of the revocation benchmark, each on a new database: the spread is part of the result. */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LEAD_MS = 20_000; // time to seed and settle before the common expiry second
const RESULTS = process.env.JIT_ACCESS_BENCH_RESULTS;

jest.setTimeout(900_000);

function quantiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted[sorted.length - 1],
  };
}

const postgres = accessTestDatabaseIds().find(id => id.startsWith('POSTGRES'));

/**
 * One run: GRANTS active requests (one grant each) whose ends fall in the same second, revoked by
 * the engine as the backend runs it; when each revoke call was made and when the last request
 * was expired.
 */
async function expiryRun(db: Knex) {
  const loadBefore = os.loadavg().map(n => Math.round(n * 100) / 100);
  const revokedAt = new Map<string, number>();
  const provisioner: AccessProvisioner = {
    id: 'bench',
    overlap: 'independent',
    async grant() {},
    async revoke(target) {
      revokedAt.set(target.grantId, Date.now());
    },
  };

  // Active requests, one grant each, all ending within one second LEAD_MS from now.
  const expirySecond = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
  const ends = new Map<string, number>();
  for (let offset = 0; offset < GRANTS; offset += 1000) {
    const requests = [];
    const grants = [];
    for (let i = offset; i < Math.min(GRANTS, offset + 1000); i++) {
      const id = randomUUID();
      const grantId = randomUUID();
      const end = new Date(expirySecond + (i % 1000));
      ends.set(grantId, end.getTime());
      const grantee = `user:default/person-${i}`;
      requests.push({
        id,
        submission_id: randomUUID(),
        requester_ref: grantee,
        grantee_ref: grantee,
        flow_id: 'self-service',
        status: 'active',
        version: 2,
        ends_at: end,
        created_at: new Date(),
        updated_at: new Date(),
      });
      grants.push({
        id: grantId,
        request_id: id,
        resource_ref: 'resource:default/payments-db',
        permission: 'read',
        provisioner_id: 'bench',
        grantee_ref: grantee,
        state: 'active',
        version: 2,
        granted_at: new Date(),
        expires_at: end,
      });
    }
    await db.batchInsert('access_requests', requests, 500);
    await db.batchInsert('access_grants', grants, 500);
  }
  await db.raw('ANALYZE access_requests, access_grants');
  // The seeding's writes flushed now rather than by a checkpoint in the middle of the run
  // (needs a superuser, as the benchmark's database user is; without one, nothing changes).
  await db.raw('CHECKPOINT').catch(() => undefined);

  // When each request became `expired`: the engine announces its moves right after the
  // transaction that wrote them commits (the database is asked once, at the end, to confirm).
  const expiredAt = new Map<string, number>();
  const events = new AccessEvents();
  events.on('statusChanged', changes => {
    const at = Date.now();
    for (const change of changes) {
      if (change.to === 'expired') expiredAt.set(change.requestId, at);
    }
  });
  const engine = new ProvisioningEngine({
    events,
    stores: accessStores(db),
    gateway: testGateway([provisioner]),
    resources: fakeResources(),
    vault: new CredentialVault('a benchmark key that is long enough'),
    logger: mockServices.rootLogger({ level: 'none' }),
    useTimer: true,
  });
  await engine.tick(); // sets the wake-up timer for the common second
  const profile = statementProfile(db);
  setTimeout(() => {
    profile.start();
  }, expirySecond - Date.now()).unref();
  const started = Date.now();
  while (revokedAt.size < GRANTS || expiredAt.size < GRANTS) {
    if (Date.now() - started > LEAD_MS + 300_000) {
      throw new Error(
        `only ${revokedAt.size} of ${GRANTS} revoked, ${expiredAt.size} expired`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  const allExpiredAt = Math.max(...expiredAt.values());
  const { eventLoopUtilization, statements } = await profile.stop();
  engine.stop();
  expect(revokedAt.size).toBe(GRANTS);
  // Every request is expired in the database too, its revocation written.
  const [{ n }] = await db('access_requests')
    .whereNot('status', 'expired')
    .count({ n: '*' });
  expect(Number(n)).toBe(0);

  const lateness = [...revokedAt].map(
    ([grantId, at]) => at - ends.get(grantId)!,
  );
  return {
    grants: GRANTS,
    loadAverageBefore: loadBefore,
    lateMs: quantiles(lateness),
    lastRequestExpiredMsAfterSecond: allExpiredAt - (expirySecond + 999),
    // Where the time went, from the second's start until the last request was expired: how
    // busy this process was, and the statements by time from sending to answer.
    eventLoopUtilization,
    statements,
  };
}

const describeBench = RESULTS ? describe : describe.skip;

describeBench('expiry benchmark', () => {
  const databases = createAccessTestDatabases();
  const results: Record<string, unknown> = {};

  afterAll(() => {
    // The machine's load (1, 5 and 15 minute averages) before and after, from run.sh.
    const load = (name: string) =>
      process.env[name]?.split(/\s+/).filter(Boolean).map(Number);
    results.loadAverage = {
      before: load('BENCH_LOAD_BEFORE'),
      after: os.loadavg().map(n => Math.round(n * 100) / 100),
      cores: os.cpus().length,
    };
    fs.mkdirSync(RESULTS!, { recursive: true });
    fs.writeFileSync(
      path.join(RESULTS!, 'latest.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
  });

  it(`revokes ${GRANTS} grants that end in the same second, ${RUNS} times`, async () => {
    if (!postgres) {
      throw new Error('The benchmark needs PostgreSQL');
    }
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      if (run > 0) {
        // A pause, so that the database has written out what the run before left behind.
        await new Promise(resolve => setTimeout(resolve, 10_000));
      }
      // A new database each time, so that no run starts with the rows of the one before.
      runs.push(
        await expiryRun(await migratedStore(await databases.init(postgres))),
      );
      // eslint-disable-next-line no-console
      console.log('revocation', JSON.stringify(runs[runs.length - 1]));
    }
    expect(runs).toHaveLength(RUNS);
    results.revocation = runs;
  });

  it(`grants right after each of ${APPROVALS} approvals`, async () => {
    if (!postgres) {
      throw new Error('The benchmark needs PostgreSQL');
    }
    const grantCalled = new Map<string, number>();
    const module = createBackendModule({
      pluginId: 'access',
      moduleId: 'bench-provisioner',
      register(env) {
        env.registerInit({
          deps: { provisioners: accessProvisionersExtensionPoint },
          async init({ provisioners }) {
            provisioners.addProvisioner({
              id: 'bench',
              async grant(target) {
                grantCalled.set(target.requestId, Date.now());
              },
              async revoke() {},
            });
          },
        });
      },
    });
    const { as, stop } = await startAccessBackend({
      knex: await databases.init(postgres),
      access: {
        ...TEST_ACCESS_CONFIG,
        // One user submits all the requests in seconds: a measurement, not a flood to limit.
        rateLimits: { enabled: false },
        engine: { enabled: true },
        resources: TEST_ACCESS_CONFIG.resources.map(r => ({
          ...r,
          integration: 'bench',
        })),
      },
      features: [module],
    });
    const ids: string[] = [];
    for (let i = 0; i < APPROVALS; i++) {
      const res = await as('dana').post('/requests', {
        items: [{ resourceRef: 'payments-db', permission: 'read' }],
        justification: `Investigate failed payouts in INC-${i}`,
      });
      ids.push(res.body.requests[0].id);
    }
    const approvedAt = new Map<string, number>();
    for (const id of ids) {
      approvedAt.set(id, Date.now());
      const res = await as('lee').post(`/requests/${id}/approve`);
      if (res.status !== 200) throw new Error(`approve answered ${res.status}`);
      await new Promise(resolve => setTimeout(resolve, 50)); // 20 approvals a second at most
    }
    const deadline = Date.now() + 60_000;
    while (grantCalled.size < APPROVALS && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    await stop();
    expect(grantCalled.size).toBe(APPROVALS);
    const latency = ids.map(
      id => (grantCalled.get(id) ?? Infinity) - approvedAt.get(id)!,
    );
    results.grantAfterApproval = {
      approvals: APPROVALS,
      latencyMs: quantiles(latency),
    };
    // eslint-disable-next-line no-console
    console.log(
      'grant after approval',
      JSON.stringify(results.grantAfterApproval),
    );
  });
});
