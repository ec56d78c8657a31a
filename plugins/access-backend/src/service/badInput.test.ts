import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { startAccessBackend } from '../__testUtils__/accessBackend';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { ROUTE_CASES } from './__testUtils__/badInput/routeCases';
import {
  DB_READ,
  Fixtures,
  JUSTIFICATION,
  TABLE_ORDER,
  TABLES,
  XSS,
} from './__testUtils__/badInput/shared';
import { SUBMISSION_CASES } from './__testUtils__/badInput/submissionCases';

/*
 * Bad input: malformed requests to every route each get a 4xx whose message names the problem,
 * never a 500, and nothing they half-wrote stays in the database.
 */

const BAD_INPUTS = [...SUBMISSION_CASES, ...ROUTE_CASES];

type TableRows = Record<(typeof TABLES)[number], unknown[]>;

async function readTables(knex: Knex): Promise<TableRows> {
  const rows = {} as TableRows;
  for (const table of TABLES) {
    rows[table] = await knex(table).orderBy(TABLE_ORDER[table]);
  }
  return rows;
}

describe('bad input over the HTTP API', () => {
  const databases = createAccessTestDatabases();

  it('has at least 50 distinct malformed cases', () => {
    const names = BAD_INPUTS.map(c => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(50);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startAccessBackend>>;
    let fx: Fixtures;
    let before: TableRows;

    const send = (
      user: string,
      method: 'get' | 'post',
      path: string,
      body?: object | string,
    ) => {
      const req = request(backend.server)
        [method](`/api/access${path}`)
        .set(
          'authorization',
          mockCredentials.user.header(`user:default/${user}`),
        );
      if (typeof body === 'string') {
        return req.set('content-type', 'application/json').send(body);
      }
      return body === undefined ? req : req.send(body);
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startAccessBackend({ knex });

      // dana's payments-db request under 'owner-approval'; setup must succeed or nothing is tested.
      const newRequest = async () => {
        const res = await backend.as('dana').post('/requests', {
          items: [DB_READ],
          justification: JUSTIFICATION,
        });
        if (res.status !== 201) {
          throw new Error(`setup: submit gave ${res.status} ${res.text}`);
        }
        return res.body.requests[0].id as string;
      };
      const pendingId = await newRequest();
      const cancelledId = await newRequest();
      const cancel = await backend
        .as('dana')
        .post(`/requests/${cancelledId}/cancel`);
      if (cancel.body.status !== 'cancelled') {
        throw new Error(`setup: cancel gave ${cancel.status} ${cancel.text}`);
      }
      fx = { pendingId, cancelledId };
      before = await readTables(knex);
    }, 60_000);

    it.each(BAD_INPUTS)(
      '$name',
      async c => {
        const res = await send(c.as ?? 'dana', c.method, c.path(fx), c.body);

        expect({
          status: res.status,
          message: res.body?.error?.message,
        }).toEqual({
          status: c.status,
          message: expect.stringMatching(c.message),
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      },
      30_000,
    );

    it('leaves nothing half-written and pollutes no prototype', async () => {
      const after = await readTables(knex);
      // Only the two requests made before the cases, unchanged: the pending one and the cancelled one.
      expect(Object.fromEntries(TABLES.map(t => [t, after[t].length]))).toEqual(
        Object.fromEntries(TABLES.map(t => [t, before[t].length])),
      );
      expect(after).toEqual(before);
      const [{ n: others }] = await knex('access_requests')
        .whereNotIn('id', [fx.pendingId, fx.cancelledId])
        .count({ n: '*' });
      expect(Number(others)).toBe(0);
      const [{ n: approvals }] = await knex('access_approvals').count({
        n: '*',
      });
      expect(Number(approvals)).toBe(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it('stores <script> in a justification verbatim and returns it as plain JSON text', async () => {
      const count = async () =>
        Number((await knex('access_requests').count({ n: '*' }))[0].n);
      const requestsBefore = await count();
      const res = await send('dana', 'post', '/requests', {
        items: [DB_READ],
        justification: XSS,
      });

      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.text).toContain(JSON.stringify(XSS));
      const [created] = res.body.requests;
      expect(created.justification).toBe(XSS);

      const row = await knex('access_requests')
        .where({ id: created.id })
        .first();
      expect(row.justification).toBe(XSS);

      const details = await send('lee', 'get', `/requests/${created.id}`);
      expect(details.status).toBe(200);
      expect(details.headers['content-type']).toMatch(/^application\/json/);
      expect(details.body.justification).toBe(XSS);

      expect(await count()).toBe(requestsBefore + 1);
    });
  });
});
