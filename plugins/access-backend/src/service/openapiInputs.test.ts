import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import { invalidRequest } from '../__testUtils__/openapiDocument';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { DOCUMENT_ACCEPTS } from './__testUtils__/openapiInputs/acceptedCases';
import { DOCUMENT_REFUSES } from './__testUtils__/openapiInputs/refusedCases';
import {
  DB_READ,
  Fixtures,
  InputCase,
  JUSTIFICATION,
  Made,
} from './__testUtils__/openapiInputs/shared';

/*
 * The document and the server agree on which inputs are valid: requests the document calls
 * invalid (for constraints a schema can state) get a 4xx while those it calls valid are served.
 * The patterns alone are held to the server's parsers in openapiPatterns.test.ts; the
 * constraints stated only in words (what a flow requires, answer keys, cursors) are provoked in
 * openapiErrors.test.ts.
 */

const made = async <T>(value: Made<T> | undefined, fx: Fixtures) =>
  typeof value === 'function'
    ? (value as (fx: Fixtures) => Promise<T>)(fx)
    : value;

describe('openapi.yaml and the server agree on which requests are valid', () => {
  const databases = createAccessTestDatabases();

  it('has distinct cases', () => {
    const names = [...DOCUMENT_REFUSES, ...DOCUMENT_ACCEPTS].map(
      c => `${c.route}: ${c.name}`,
    );
    expect(new Set(names).size).toBe(names.length);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let backend: Awaited<ReturnType<typeof startAccessBackend>>;
    let fx: Fixtures;

    beforeAll(async () => {
      backend = await startAccessBackend({
        knex: await databases.init(databaseId),
        // The cases submit far more than a user may in a minute.
        access: { ...TEST_ACCESS_CONFIG, rateLimits: { enabled: false } },
      });
      const dana = backend.as('dana');
      const pending = async () => {
        const res = await dana.post('/requests', {
          items: [DB_READ],
          justification: JUSTIFICATION,
        });
        if (res.status !== 201) {
          throw new Error(`setup: submit gave ${res.status} ${res.text}`);
        }
        return res.body.requests[0].id as string;
      };
      fx = {
        pending,
        closed: async () => {
          const id = await pending();
          const res = await dana.post(`/requests/${id}/cancel`);
          if (res.status !== 200) {
            throw new Error(`setup: cancel gave ${res.status} ${res.text}`);
          }
          return id;
        },
        requestsCursor: async () => {
          await pending();
          await pending();
          const res = await dana.get('/requests?limit=1');
          if (!res.body.nextCursor) {
            throw new Error(`setup: no cursor in ${res.text}`);
          }
          return res.body.nextCursor;
        },
      };
    }, 60_000);

    /** Sends a case; answers the document's problems with it and the server's answer. */
    const run = async (c: InputCase) => {
      const [method, path] = c.route.split(' ');
      const params = (await made(c.params, fx)) ?? {};
      const query = (await made(c.query, fx)) ?? {};
      const body = await made(c.body, fx);
      const problems = invalidRequest(method, path, {
        params,
        query,
        body,
        raw: c.raw,
      });

      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) {
        for (const one of [value].flat()) {
          search.append(name, one);
        }
      }
      const url = `/api/access${path.replace(/\{(\w+)\}/g, (_, name) =>
        encodeURIComponent(params[name]),
      )}${search.size > 0 ? `?${search}` : ''}`;
      let req = request(backend.server)
        [method.toLowerCase() as 'get' | 'post' | 'delete'](url)
        .set(
          'authorization',
          mockCredentials.user.header(`user:default/${c.as ?? 'dana'}`),
        );
      if (c.raw !== undefined) {
        req = req.set('content-type', 'application/json').send(c.raw);
      } else if (body !== undefined) {
        req = req.send(body as object);
      }
      const res = await req;
      return {
        document: problems.length === 0 ? 'accepts' : 'refuses',
        server:
          res.status >= 400 && res.status < 500
            ? 'refuses'
            : `answers ${res.status}`,
        problems,
        answer: res.body?.error?.message ?? res.status,
      };
    };

    it.each(DOCUMENT_REFUSES)('refused by both: $route: $name', async c => {
      expect(await run(c)).toMatchObject({
        document: 'refuses',
        server: 'refuses',
      });
    });

    it.each(DOCUMENT_ACCEPTS)('accepted by both: $route: $name', async c => {
      const verdict = await run(c);
      expect(verdict).toMatchObject({
        document: 'accepts',
        server: expect.stringMatching(/^answers 20[014]$/),
      });
    });
  });
});
