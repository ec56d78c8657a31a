import { AccessProvisioner } from '@jit-access/plugin-access-node';
import { Knex } from 'knex';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import {
  provisionersModule,
  recordingProvisioner,
} from '../__testUtils__/engineFixtures';
import {
  accessTestDatabaseIds,
  createAccessTestDatabases,
} from '../__testUtils__/testDatabases';

jest.setTimeout(300_000);

const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };

/** The test config with the engine on, fast retries, and everything granted by `test`. */
const CONFIG = {
  ...TEST_ACCESS_CONFIG,
  // One user submits 1,000 requests in seconds here: a load on the engine, not a flood to limit.
  rateLimits: { enabled: false },
  engine: {
    enabled: true,
    retry: { maxAttempts: 4, initialDelay: 'PT0.02S', maxDelay: 'PT0.1S' },
  },
  resources: TEST_ACCESS_CONFIG.resources.map(r => ({
    ...r,
    integration: 'test',
  })),
  flows: TEST_ACCESS_CONFIG.flows.map(f =>
    f.id === 'self-service' ? { ...f, durations: ['PT1H', 'PT15S'] } : f,
  ),
};

/** Runs `task` over `items`, `width` at a time. */
async function inParallel<T>(
  items: T[],
  width: number,
  task: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < items.length; i = next++) {
        await task(items[i], i);
      }
    }),
  );
}

async function settled(knex: Knex, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await knex('access_grants')
      .whereIn('state', ['pending', 'queued', 'granting', 'revoking'])
      .count({ n: '*' });
    if (Number(n) === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${n} grants still unsettled`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

const postgresIds = accessTestDatabaseIds().filter(id =>
  id.startsWith('POSTGRES'),
);
const describeOnPostgres = postgresIds.length > 0 ? describe : describe.skip;

describeOnPostgres('two backend instances on one PostgreSQL database', () => {
  const databases = createAccessTestDatabases();

  const startTwo = async (provisioner: AccessProvisioner) => {
    const knex = await databases.init(postgresIds[0]);
    const options = {
      knex,
      access: CONFIG,
      features: [provisionersModule([provisioner])],
    };
    const a = await startAccessBackend(options);
    const b = await startAccessBackend(options);
    return { knex, a, b };
  };

  it('makes exactly one grant call for each of 1,000 approvals', async () => {
    const { provisioner, calls } = recordingProvisioner('test');
    const { knex, a, b } = await startTwo(provisioner);
    const ids: string[] = [];
    await inParallel(Array.from({ length: 1000 }), 16, async (_, i) => {
      const res = await (i % 2 ? a : b).as('dana').post('/requests', {
        items: [DB_READ],
        justification: `Investigate failed payouts in INC-${i}`,
      });
      expect(res.status).toBe(201);
      ids.push(res.body.requests[0].id);
    });
    await inParallel(ids, 16, async (id, i) => {
      const res = await (i % 2 ? b : a)
        .as('lee')
        .post(`/requests/${id}/approve`);
      expect(res.status).toBe(200);
    });
    await settled(knex, 120_000);

    const grantCalls = calls.filter(c => c.action === 'grant');
    expect(grantCalls).toHaveLength(1000);
    expect(new Set(grantCalls.map(c => c.target.grantId)).size).toBe(1000);
    const statuses = await knex('access_requests')
      .whereIn('id', ids)
      .select('status');
    expect(statuses.every(r => r.status === 'active')).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('loses and doubles nothing when the provisioner fails half the time', async () => {
    const { provisioner, calls } = recordingProvisioner('test', {
      grant: async () => {
        if (Math.random() < 0.5) {
          throw new Error('flaky target system');
        }
      },
    });
    const { knex, a, b } = await startTwo(provisioner);
    const ids: string[] = [];
    await inParallel(Array.from({ length: 300 }), 16, async (_, i) => {
      const res = await (i % 2 ? a : b)
        .as('dana')
        .post('/requests', { items: [SANDBOX], duration: 'PT1H' });
      ids.push(res.body.requests[0].id);
    });
    await settled(knex, 120_000);

    const grants = await knex('access_grants').whereIn('request_id', ids);
    expect(grants).toHaveLength(300);
    const callsPerGrant = new Map<string, number>();
    for (const call of calls) {
      callsPerGrant.set(
        call.target.grantId,
        (callsPerGrant.get(call.target.grantId) ?? 0) + 1,
      );
    }
    for (const grant of grants) {
      expect(['active', 'failed']).toContain(grant.state);
      // Every call counted as an attempt: none lost, none made twice.
      expect(callsPerGrant.get(grant.id)).toBe(grant.attempts);
    }
    // A grant fails only when every one of its 4 attempts failed.
    expect(
      grants.filter(g => g.state === 'failed').map(g => g.attempts),
    ).toEqual(grants.filter(g => g.state === 'failed').map(() => 4));
    expect(grants.some(g => g.state === 'active')).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('revokes the expiries of an instance that died, from the other, within 5 seconds', async () => {
    // Independent grants: each expiry is its own revoke call (shared access would be kept while
    // the same person's other grants still cover it).
    const { provisioner } = recordingProvisioner('test', {
      overlap: 'independent',
    });
    const callTimes = new Map<string, number>();
    const timed: AccessProvisioner = {
      ...provisioner,
      async revoke(target, ctx) {
        callTimes.set(target.grantId, Date.now());
        return provisioner.revoke(target, ctx);
      },
    };
    const { knex, a, b } = await startTwo(timed);
    // 15 s of access: long enough that none ends before instance a goes, even on a busy machine.
    const ids: string[] = [];
    await inParallel(Array.from({ length: 50 }), 10, async (_, i) => {
      const res = await a
        .as(['dana', 'sam', 'lee', 'riley', 'pat'][i % 5])
        .post('/requests', { items: [SANDBOX], duration: 'PT15S' });
      ids.push(res.body.requests[0].id);
    });
    await settled(knex, 30_000);
    // The instance that granted them, and holds their timers, goes away before they end.
    await a.stop();

    const grants = await knex('access_grants').whereIn('request_id', ids);
    expect(grants.every(g => g.state === 'active')).toBe(true);
    const latestEnd = Math.max(
      ...grants.map(g => new Date(g.expires_at).getTime()),
    );
    await new Promise(resolve =>
      setTimeout(resolve, Math.max(0, latestEnd - Date.now()) + 5_000),
    );

    const after = await knex('access_grants').whereIn('request_id', ids);
    const lateness = after.map(g => {
      const revokedCall = callTimes.get(g.id);
      return revokedCall === undefined
        ? Infinity
        : revokedCall - new Date(g.expires_at).getTime();
    });
    expect(after.every(g => g.state === 'expired')).toBe(true);
    expect(Math.max(...lateness)).toBeLessThan(5_000);
    await b.stop();
  });
});
