import { ConfigReader } from '@backstage/config';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import { readAccessConfig } from '../config/accessConfig';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };
const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
const JUSTIFICATION = 'Investigate failed payouts in INC-42';

describe('per-user rate limits', () => {
  it('are on by default, with generous numbers', () => {
    const config = readAccessConfig(new ConfigReader({ access: {} }));
    expect(config.rateLimits).toEqual({
      enabled: true,
      submissions: { limit: 60, window: 'PT1M' },
      decisions: { limit: 300, window: 'PT1M' },
    });
  });

  it('refuse a window that is not a duration of at least a second', () => {
    expect(() =>
      readAccessConfig(
        new ConfigReader({
          access: { rateLimits: { decisions: { limit: 0, window: 'PT0.5S' } } },
        }),
      ),
    ).toThrow(
      [
        'Invalid access configuration:',
        'access.rateLimits.decisions.limit: Number must be greater than 0',
        'access.rateLimits.decisions.window: must be an ISO-8601 duration of at least one second, e.g. PT1M',
      ].join('\n'),
    );
  });

  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const start = async (rateLimits: object) =>
      startAccessBackend({
        knex: await databases.init(databaseId),
        access: { ...TEST_ACCESS_CONFIG, rateLimits },
      });

    it('answer 429 with Retry-After past a user’s submission limit, and leave others alone', async () => {
      const { as } = await start({ submissions: { limit: 2, window: 'PT1M' } });
      for (let i = 0; i < 2; i++) {
        expect(
          (await as('dana').post('/requests', { items: [SANDBOX] })).status,
        ).toBe(201);
      }
      const third = await as('dana').post('/requests', { items: [SANDBOX] });
      expect(third.status).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(third.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(third.body.error.message).toMatch(
        /^Too many submissions: at most 2 per PT1M for each user; try again in \d+ s$/,
      );
      // Requests again and extensions count as submissions too; nothing was created.
      const mine = await as('dana').get('/requests?view=mine');
      expect(mine.body.items).toHaveLength(2);
      const again = await as('dana').post(
        `/requests/${mine.body.items[0].id}/request-again`,
        {},
      );
      expect(again.status).toBe(429);
      expect(
        (await as('sam').post('/requests', { items: [SANDBOX] })).status,
      ).toBe(201);
    });

    it('answer 429 past a user’s decision limit', async () => {
      const { as } = await start({ decisions: { limit: 1, window: 'PT1M' } });
      const ids = [];
      for (let i = 0; i < 2; i++) {
        const res = await as('dana').post('/requests', {
          items: [DB_READ],
          justification: JUSTIFICATION,
        });
        ids.push(res.body.requests[0].id);
      }
      expect((await as('lee').post(`/requests/${ids[0]}/approve`)).status).toBe(
        200,
      );
      const second = await as('lee').post(`/requests/${ids[1]}/reject`, {
        reason: 'Not needed',
      });
      expect(second.status).toBe(429);
      expect(second.headers['retry-after']).toBeDefined();
      expect((await as('dana').get(`/requests/${ids[1]}`)).body.status).toBe(
        'pending_approval',
      );
    });

    it('can be turned off', async () => {
      const { as } = await start({
        enabled: false,
        submissions: { limit: 1, window: 'PT1M' },
      });
      for (let i = 0; i < 3; i++) {
        expect(
          (await as('dana').post('/requests', { items: [SANDBOX] })).status,
        ).toBe(201);
      }
    });
  });
});
