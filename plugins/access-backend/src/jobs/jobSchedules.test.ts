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
import { readJobSchedules } from './jobSchedules';

const ENGINE = { reconcileEvery: 'PT10M' };

describe('readJobSchedules', () => {
  it("gives each job today's schedule and its own scope by default", () => {
    expect(readJobSchedules(new ConfigReader({}), ENGINE)).toEqual({
      discovery: {
        frequency: { minutes: 10 },
        timeout: { minutes: 5 },
        scope: 'local',
      },
      provisioningSweep: {
        frequency: { seconds: 15 },
        timeout: { minutes: 5 },
        scope: 'global',
      },
      pendingApprovals: {
        frequency: { minutes: 1 },
        timeout: { minutes: 5 },
        scope: 'global',
      },
      reconciliation: {
        frequency: { milliseconds: 600_000 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 1 },
        scope: 'global',
      },
      chatDeliveries: {
        frequency: { seconds: 10 },
        timeout: { minutes: 5 },
        scope: 'global',
      },
    });
  });

  it('reads a schedule from access.schedules, keeping the job’s scope', () => {
    const schedules = readJobSchedules(
      new ConfigReader({
        access: {
          schedules: {
            pendingApprovals: {
              frequency: { seconds: 20 },
              timeout: 'PT2M',
              scope: 'local',
            },
          },
        },
      }),
      ENGINE,
    );
    expect(schedules.pendingApprovals).toEqual({
      frequency: { seconds: 20 },
      timeout: { minutes: 2 },
      scope: 'global',
    });
    expect(
      readJobSchedules(
        new ConfigReader({
          access: {
            schedules: {
              reconciliation: { frequency: { hours: 1 }, timeout: 'PT5M' },
            },
          },
        }),
        ENGINE,
      ).reconciliation,
    ).toEqual({
      frequency: { hours: 1 },
      timeout: { minutes: 5 },
      initialDelay: { minutes: 1 },
      scope: 'global',
    });
    expect(
      readJobSchedules(new ConfigReader({}), { reconcileEvery: 'PT30M' })
        .reconciliation.frequency,
    ).toEqual({ milliseconds: 1_800_000 });
  });

  it('refuses an unknown job and a schedule Backstage cannot read', () => {
    expect(() =>
      readJobSchedules(
        new ConfigReader({
          access: { schedules: { expiry: { frequency: 'PT1M' } } },
        }),
        ENGINE,
      ),
    ).toThrow(
      'access.schedules.expiry: Unknown job; the jobs are discovery, provisioningSweep, pendingApprovals, reconciliation',
    );
    expect(() =>
      readJobSchedules(
        new ConfigReader({
          access: { schedules: { discovery: { frequency: 'often' } } },
        }),
        ENGINE,
      ),
    ).toThrow(/^Invalid access configuration:\naccess\.schedules\.discovery: /);
  });
});

describe('scheduled jobs in the plugin', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'times out pending requests with the engine off, on %p',
    async databaseId => {
      const scheduler = mockServices.scheduler();
      const { as } = await startAccessBackend({
        knex: await databases.init(databaseId),
        access: {
          ...TEST_ACCESS_CONFIG,
          engine: { enabled: false },
          flows: TEST_ACCESS_CONFIG.flows.map(flow =>
            flow.id === 'owner-approval'
              ? { ...flow, pendingTimeout: 'PT1S' }
              : flow,
          ),
        },
        features: [
          createServiceFactory({
            service: coreServices.scheduler,
            deps: {},
            factory: () => scheduler,
          }),
        ],
      });
      const id = (
        await as('dana').post('/requests', {
          items: [{ resourceRef: 'payments-db', permission: 'read' }],
          justification: 'Investigate failed payouts in INC-42',
        })
      ).body.requests[0].id;
      await new Promise(resolve => setTimeout(resolve, 1100));

      await scheduler.triggerTask('access-pending-timeout');

      expect((await as('dana').get(`/requests/${id}`)).body).toMatchObject({
        status: 'failed',
        statusReason: 'approval timed out',
      });
    },
  );
});
