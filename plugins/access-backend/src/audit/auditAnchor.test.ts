import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { AccessDatabase } from '../database/AccessDatabase';
import type { AuditStore } from '../database/audit';
import {
  AUDIT_ANCHOR_EVENT_ID,
  AUDIT_ANCHOR_TASK_ID,
  emitAuditAnchor,
  startAuditChain,
} from './auditAnchor';
import { DEFAULT_ANCHOR_SCHEDULE, readAuditConfig } from './auditConfig';

jest.setTimeout(60_000);

const CHAIN_KEY = 'test-chain-key-0123456789abcdef0123456789';
const TABLE = 'access_audit_events';

const configOf = (audit?: object) =>
  new ConfigReader(audit === undefined ? {} : { access: { audit } });

describe('readAuditConfig', () => {
  it('refuses a missing key outside development and test', () => {
    for (const env of [
      { NODE_ENV: 'production' },
      { NODE_ENV: 'staging' },
      { NODE_ENV: '' },
      {},
    ]) {
      expect(() => readAuditConfig(configOf(), env)).toThrow(
        /access\.audit\.chainKey: Required when NODE_ENV is/,
      );
    }
    expect(() =>
      readAuditConfig(configOf({ anchor: {} }), { NODE_ENV: 'production' }),
    ).toThrow(/dangerouslyAllowUnkeyedChain/);
  });

  it('allows a missing key in development and test, or when told to', () => {
    expect(readAuditConfig(configOf(), { NODE_ENV: 'development' })).toEqual({
      anchorSchedule: DEFAULT_ANCHOR_SCHEDULE,
    });
    expect(
      readAuditConfig(configOf(), { NODE_ENV: 'test' }).chainKey,
    ).toBeUndefined();
    expect(
      readAuditConfig(configOf({ dangerouslyAllowUnkeyedChain: true }), {
        NODE_ENV: 'production',
      }).chainKey,
    ).toBeUndefined();
  });

  it('reads the key and the anchor schedule', () => {
    expect(
      readAuditConfig(
        configOf({
          chainKey: CHAIN_KEY,
          anchor: {
            schedule: {
              frequency: { minutes: 2 },
              timeout: 'PT30S',
              scope: 'local',
            },
          },
        }),
        { NODE_ENV: 'production' },
      ),
    ).toEqual({
      chainKey: CHAIN_KEY,
      anchorSchedule: {
        frequency: { minutes: 2 },
        timeout: { seconds: 30 },
        scope: 'local',
      },
    });
  });

  it('explains a bad key, an unknown field and a bad schedule', () => {
    expect(() =>
      readAuditConfig(configOf({ chainKey: 'short' }), {
        NODE_ENV: 'production',
      }),
    ).toThrow(
      /Invalid access configuration:\naccess\.audit\.chainKey: must be at least 32 characters long/,
    );
    expect(() =>
      readAuditConfig(configOf({ chainKye: CHAIN_KEY }), { NODE_ENV: 'test' }),
    ).toThrow(/access\.audit: Unknown field\(s\) chainKye/);
    expect(() =>
      readAuditConfig(
        configOf({ anchor: { schedule: { frequency: 'often' } } }),
        { NODE_ENV: 'test' },
      ),
    ).toThrow(/access\.audit\.anchor\.schedule: /);
  });
});

describe('the anchor job', () => {
  const databases = createAccessTestDatabases();

  async function init(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const { audit } = await AccessDatabase.create({
      database: mockServices.database({ knex }),
    });
    return audit;
  }

  const append = async (audit: AuditStore, action: string) => {
    const [appended] = await audit.append([
      {
        actorRef: 'user:default/dana',
        action,
        at: new Date('2026-11-22T10:00:00.250Z'),
      },
    ]);
    return appended;
  };

  it.each(databases.eachSupportedId())(
    'emits the head through the auditor and the logger, on %p',
    async databaseId => {
      const audit = await init(databaseId);
      const auditor = mockServices.auditor.mock();
      const logger = mockServices.logger.mock();

      expect(await emitAuditAnchor({ audit, auditor, logger })).toBe(undefined);
      expect(auditor.createEvent).not.toHaveBeenCalled();

      await append(audit, 'first');
      const head = await append(audit, 'second');
      expect(await emitAuditAnchor({ audit, auditor, logger })).toEqual({
        seq: head.seq,
        hash: head.hash,
      });
      expect(auditor.createEvent).toHaveBeenCalledTimes(1);
      expect(auditor.createEvent).toHaveBeenCalledWith({
        eventId: AUDIT_ANCHOR_EVENT_ID,
        severityLevel: 'low',
        meta: {
          anchor: `${head.seq}:${head.hash}`,
          seq: head.seq,
          hash: head.hash,
          at: '2026-11-22T10:00:00.250Z',
          keyed: false,
        },
      });
      const event = await (auditor.createEvent as jest.Mock).mock.results[0]
        .value;
      expect(event.success).toHaveBeenCalledTimes(1);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringContaining(`Audit chain anchor ${head.seq}:${head.hash}`),
        { auditChainAnchor: `${head.seq}:${head.hash}` },
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'is scheduled as configured, with the key set or a warning, on %p',
    async databaseId => {
      const audit = await init(databaseId);
      const scheduler = mockServices.scheduler.mock();
      const logger = mockServices.logger.mock();
      const auditor = mockServices.auditor.mock();
      const schedule = { frequency: { minutes: 3 }, timeout: { seconds: 20 } };

      await startAuditChain({
        audit,
        config: { anchorSchedule: schedule },
        auditor,
        logger,
        scheduler,
      });
      expect(audit.chainKey()).toBeNull();
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(/access\.audit\.chainKey is not set/),
      );
      expect(scheduler.scheduleTask).toHaveBeenCalledWith({
        id: AUDIT_ANCHOR_TASK_ID,
        ...schedule,
        fn: expect.any(Function),
      });

      await append(audit, 'unkeyed');
      await startAuditChain({
        audit,
        config: { chainKey: CHAIN_KEY, anchorSchedule: schedule },
        auditor,
        logger,
        scheduler,
      });
      expect(audit.chainKey()).not.toBeNull();
      // The unkeyed row got sealed by a keyed one, so the chain verifies keyed.
      expect(await audit.verify()).toMatchObject({
        ok: true,
        checked: 2,
        keyed: true,
        unkeyedRows: 1,
      });
      const [, second] = (scheduler.scheduleTask as jest.Mock).mock.calls;
      await second[0].fn();
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: AUDIT_ANCHOR_EVENT_ID,
          meta: expect.objectContaining({ keyed: true }),
        }),
      );
    },
  );
});

describe('anchored verification over the HTTP API', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'exports a head, verifies with it, and finds the newest rows dropped, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const scheduler = mockServices.scheduler();
      const anchors: string[] = [];
      const auditor = mockServices.auditor.mock({
        createEvent: async ({ eventId, meta }) => {
          if (eventId === AUDIT_ANCHOR_EVENT_ID) {
            anchors.push(String(meta?.anchor));
          }
          return { success: async () => {}, fail: async () => {} };
        },
      });
      const { as } = await startAccessBackend({
        knex,
        access: { ...TEST_ACCESS_CONFIG, audit: { chainKey: CHAIN_KEY } },
        features: [
          createServiceFactory({
            service: coreServices.scheduler,
            deps: {},
            factory: () => scheduler,
          }),
          auditor.factory,
        ],
      });

      for (let n = 0; n < 2; n++) {
        const submitted = await as('dana').post('/requests', {
          items: [{ resourceRef: 'payments-db', permission: 'read' }],
          justification: `Investigate failed payouts, case ${n}`,
        });
        expect(submitted.status).toBe(201);
      }
      await scheduler.triggerTask(AUDIT_ANCHOR_TASK_ID);
      expect(anchors).toHaveLength(1);
      const [anchor] = anchors;
      const [seq, hash] = anchor.split(':');

      const verified = await as('alex').get(
        `/admin/audit/verify?anchor=${seq}:${hash.toUpperCase()}`,
      );
      expect(verified.status).toBe(200);
      expect(verified.body).toEqual({
        ok: true,
        checked: 2,
        keyed: true,
        head: { seq: Number(seq), hash },
        anchor: { seq: Number(seq), hash },
      });

      await knex(TABLE)
        .where({ seq: Number(seq) })
        .delete();
      expect((await as('alex').get('/admin/audit/verify')).body).toMatchObject({
        ok: true,
        checked: 1,
      });
      const dropped = await as('alex').get(
        `/admin/audit/verify?anchor=${anchor}`,
      );
      expect(dropped.status).toBe(200);
      expect(dropped.body).toMatchObject({
        ok: false,
        keyed: true,
        brokenAt: Number(seq),
      });
      expect(dropped.body.problem).toMatch(/anchor row .* is missing/);

      for (const bad of ['12', `0:${hash}`, `x:${hash}`, '3:abc']) {
        const res = await as('alex').get(`/admin/audit/verify?anchor=${bad}`);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/anchor: Expected <seq>:<hash>/);
      }
      const twice = await as('alex').get(
        `/admin/audit/verify?anchor=${anchor}&anchor=${anchor}`,
      );
      expect(twice.status).toBe(400);
      const unknown = await as('alex').get('/admin/audit/verify?from=1');
      expect(unknown.status).toBe(400);
      expect(
        (await as('dana').get(`/admin/audit/verify?anchor=${anchor}`)).status,
      ).toBe(403);
    },
  );
});

describe('startup', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('refuses to start without a chain key in production', async () => {
    process.env.NODE_ENV = 'production';
    // Everything else production needs is there.
    const access = {
      ...TEST_ACCESS_CONFIG,
      credentials: { encryptionKey: 'credentials-key-0123456789abcdef01234' },
    };
    await expect(startAccessBackend({ access })).rejects.toThrow(
      /access\.audit\.chainKey: Required when NODE_ENV is 'production'/,
    );
    const { as } = await startAccessBackend({
      access: { ...access, audit: { chainKey: CHAIN_KEY } },
    });
    expect((await as('alex').get('/admin/audit/verify')).body).toEqual({
      ok: true,
      checked: 0,
      keyed: true,
    });
  });
});
