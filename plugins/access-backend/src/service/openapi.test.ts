import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  provisionersModule,
  recordingProvisioner,
  until,
} from '../__testUtils__/engineFixtures';
import {
  startAccessBackend,
  TEST_ACCESS_CONFIG,
} from '../__testUtils__/accessBackend';
import {
  collectRefs,
  doc,
  documentedResponse,
  documentedRoutes,
  documentedStatuses,
  invalidRequestBody,
  operation,
  resolvePointer,
  routerRoutes,
  SCHEMA_PREFIX,
  undocumented,
  validator,
} from '../__testUtils__/openapiDocument';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';

/*
 * openapi.yaml against the router: the same routes, a document that holds together, and the
 * live backend's answers (on each test database) valid against it. openapiInputs.test.ts checks
 * that the document and the server agree on which inputs are valid, openapiErrors.test.ts that
 * each documented error really happens.
 */

describe('openapi.yaml', () => {
  it('is an OpenAPI 3.0 document', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
  });

  it('describes exactly the routes the router registers', async () => {
    const registered = await routerRoutes();
    expect(new Set(registered).size).toBe(registered.length);
    expect(documentedRoutes().sort()).toEqual([...registered].sort());
  });

  it('resolves every $ref to something defined', () => {
    const refs = [...new Set(collectRefs(doc))];
    expect(refs.length).toBeGreaterThan(0);
    const unresolved = refs.filter(
      ref =>
        !/^#\/components\/(schemas|parameters|responses|requestBodies)\//.test(
          ref,
        ) || resolvePointer(ref) === undefined,
    );
    expect(unresolved).toEqual([]);
  });

  it('has component schemas that compile', () => {
    for (const name of Object.keys(doc.components.schemas)) {
      for (const strict of [false, true]) {
        expect(() =>
          validator({ $ref: `${SCHEMA_PREFIX}${name}` }, strict),
        ).not.toThrow();
      }
    }
  });

  it('describes each operation, and its auth errors on every authenticated route', () => {
    const problems = documentedRoutes().flatMap(route => {
      const [method, path] = route.split(' ');
      const op = operation(method, path);
      const codes = Object.keys(op.responses);
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      return [
        ...(op.description ? [] : [`${route}: no description`]),
        ...(isPublic !== (path === '/health')
          ? [`${route}: ${isPublic ? 'public' : 'not public'}`]
          : []),
        ...(isPublic
          ? []
          : ['401', '403']
              .filter(code => !codes.includes(code))
              .map(code => `${route}: no ${code} answer`)),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('documents every 4xx answer with the Error body, and Retry-After on each 429', () => {
    const problems = documentedRoutes().flatMap(route => {
      const [method, path] = route.split(' ');
      return documentedStatuses(method, path)
        .filter(status => status >= 400)
        .flatMap(status => {
          const response = documentedResponse(method, path, status);
          const schema = response.content?.['application/json']?.schema;
          return [
            ...(schema?.$ref === `${SCHEMA_PREFIX}Error`
              ? []
              : [`${route} ${status}: not the Error body`]),
            ...(response.description
              ? []
              : [`${route} ${status}: no description`]),
            ...(status === 429 && !response.headers?.['Retry-After']
              ? [`${route} 429: no Retry-After header`]
              : []),
          ];
        });
    });
    expect(problems).toEqual([]);
  });

  it('documents 400 on every route that takes parameters or a body, and 413 where it takes a body', () => {
    const problems = documentedRoutes().flatMap(route => {
      const [method, path] = route.split(' ');
      const op = operation(method, path);
      const statuses = documentedStatuses(method, path);
      const takesInput =
        (op.parameters ?? []).length > 0 || op.requestBody !== undefined;
      return [
        ...(takesInput && !statuses.includes(400) ? [`${route}: no 400`] : []),
        ...(op.requestBody && !statuses.includes(413)
          ? [`${route}: no 413`]
          : []),
      ];
    });
    expect(problems).toEqual([]);
  });

  const databases = createAccessTestDatabases();

  describe.each(databases.eachSupportedId())(
    'matches what the backend answers on %p',
    databaseId => {
      const SUBMISSION = {
        items: [{ resourceRef: 'payments-db', permission: 'read' }],
        justification: 'Investigate failed payouts in INC-42',
      };
      let backend: Awaited<ReturnType<typeof startAccessBackend>>;

      beforeAll(async () => {
        backend = await startAccessBackend({
          knex: await databases.init(databaseId),
        });
      }, 60_000);

      it('GET /health', async () => {
        const res = await backend.as('dana').get('/health');
        expect(undocumented('GET', '/health', res, 200)).toEqual([]);
      });

      it('GET /me', async () => {
        const res = await backend.as('dana').get('/me');
        expect(undocumented('GET', '/me', res, 200)).toEqual([]);
      });

      it('GET /resources', async () => {
        const res = await backend.as('dana').get('/resources?limit=2');
        expect(undocumented('GET', '/resources', res, 200)).toEqual([]);
        expect(res.body.nextCursor).toEqual(expect.any(String));
      });

      it('GET /bundles', async () => {
        const res = await backend.as('dana').get('/bundles');
        expect(undocumented('GET', '/bundles', res, 200)).toEqual([]);
        expect(res.body.items.length).toBeGreaterThan(0);
      });

      it('POST /flows/match', async () => {
        const body = {
          items: [
            ...SUBMISSION.items,
            { resourceRef: 'payments-db', permission: 'drop' },
          ],
        };
        expect(invalidRequestBody('POST', '/flows/match', body)).toEqual([]);
        const res = await backend.as('dana').post('/flows/match', body);
        expect(undocumented('POST', '/flows/match', res, 200)).toEqual([]);
        expect(res.body.flows.length).toBeGreaterThan(0);
        expect(res.body.uncovered.length).toBeGreaterThan(0);
      });

      it('the request routes, from submission to request-again', async () => {
        const dana = backend.as('dana');
        const lee = backend.as('lee');
        const again = { justification: 'Investigate failed payouts in INC-43' };

        expect(invalidRequestBody('POST', '/requests', SUBMISSION)).toEqual([]);
        const submitted = await dana.post('/requests', SUBMISSION);
        expect(undocumented('POST', '/requests', submitted, 201)).toEqual([]);
        const id: string = submitted.body.requests[0].id;

        const details = await dana.get(`/requests/${id}`);
        expect(undocumented('GET', '/requests/{id}', details, 200)).toEqual([]);
        expect(details.body.audit.length).toBeGreaterThan(0);
        expect(details.body.flowTitle).toBe('Owner approval');
        expect(details.body.granteeHistory.items).toHaveLength(1);

        const mine = await dana.get(
          '/requests?view=mine&status=pending_approval,scheduled',
        );
        expect(undocumented('GET', '/requests', mine, 200)).toEqual([]);
        expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(id);

        const inbox = await lee.get('/inbox');
        expect(undocumented('GET', '/inbox', inbox, 200)).toEqual([]);
        expect(inbox.body.items.map((r: { id: string }) => r.id)).toContain(id);
        expect(inbox.body.items[0].granteeHistory.windowDays).toBe(90);

        const approved = await lee.post(`/requests/${id}/approve`, {});
        expect(
          undocumented('POST', '/requests/{id}/approve', approved, 200),
        ).toEqual([]);
        expect(approved.body.status).toBe('granting');

        const lateCancel = await dana.post(`/requests/${id}/cancel`);
        expect(
          undocumented('POST', '/requests/{id}/cancel', lateCancel, 409),
        ).toEqual([]);

        // A favorite of the granted request, requested once and deleted.
        const favoriteBody = { requestId: id, name: 'Payments DB, read' };
        expect(invalidRequestBody('POST', '/favorites', favoriteBody)).toEqual(
          [],
        );
        const saved = await dana.post('/favorites', favoriteBody);
        expect(undocumented('POST', '/favorites', saved, 201)).toEqual([]);
        const favorites = await dana.get('/favorites');
        expect(undocumented('GET', '/favorites', favorites, 200)).toEqual([]);
        expect(
          invalidRequestBody('POST', '/favorites/{id}/request', again),
        ).toEqual([]);
        const fromFavorite = await dana.post(
          `/favorites/${saved.body.id}/request`,
          again,
        );
        expect(
          undocumented('POST', '/favorites/{id}/request', fromFavorite, 201),
        ).toEqual([]);
        const removed = await dana.delete(`/favorites/${saved.body.id}`);
        expect(undocumented('DELETE', '/favorites/{id}', removed, 204)).toEqual(
          [],
        );
        const removedAgain = await dana.delete(`/favorites/${saved.body.id}`);
        expect(
          undocumented('DELETE', '/favorites/{id}', removedAgain, 404),
        ).toEqual([]);

        const revoked = await dana.post(`/requests/${id}/revoke`, {
          reason: 'Done early',
        });
        expect(
          undocumented('POST', '/requests/{id}/revoke', revoked, 200),
        ).toEqual([]);
        // The request made from the favorite: still open, then cancelled, asked again, rejected.
        const secondId: string = fromFavorite.body.requests[0].id;
        const notClosed = await dana.post(
          `/requests/${secondId}/request-again`,
          again,
        );
        expect(
          undocumented('POST', '/requests/{id}/request-again', notClosed, 409),
        ).toEqual([]);

        const cancelled = await dana.post(`/requests/${secondId}/cancel`, {
          reason: 'Wrong ticket',
        });
        expect(
          undocumented('POST', '/requests/{id}/cancel', cancelled, 200),
        ).toEqual([]);
        const askedAgain = await dana.post(
          `/requests/${secondId}/request-again`,
          again,
        );
        expect(
          undocumented('POST', '/requests/{id}/request-again', askedAgain, 201),
        ).toEqual([]);
        const rejected = await lee.post(
          `/requests/${askedAgain.body.requests[0].id}/reject`,
          { reason: 'Not during the freeze' },
        );
        expect(
          undocumented('POST', '/requests/{id}/reject', rejected, 200),
        ).toEqual([]);
      });

      it('the engine routes: extend, access details, fulfilment tasks, reconciliation', async () => {
        const { provisioner } = recordingProvisioner('test', {
          grant: async target =>
            target.permission === 'use'
              ? { credentials: { user: 'jit_x', password: 'first' } }
              : { fulfilment: { instructions: 'Add dana to the readers' } },
        });
        const { as } = await startAccessBackend({
          knex: await databases.init(databaseId),
          access: {
            ...TEST_ACCESS_CONFIG,
            engine: { enabled: true },
            credentials: {
              encryptionKey: 'a test key that is long enough to be used',
            },
            resources: TEST_ACCESS_CONFIG.resources.map(r => ({
              ...r,
              integration: 'test',
            })),
            flows: TEST_ACCESS_CONFIG.flows.map(f =>
              f.id === 'self-service'
                ? {
                    ...f,
                    maxDuration: 'PT3H',
                    extension: { maxExtensions: 1, requiresApproval: false },
                  }
                : f,
            ),
          },
          features: [provisionersModule([provisioner])],
        });
        const dana = as('dana');
        const submitted = await dana.post('/requests', {
          items: [{ resourceRef: 'sandbox', permission: 'use' }],
        });
        const id: string = submitted.body.requests[0].id;
        const active = await until(
          async () => (await dana.get(`/requests/${id}`)).body,
          body => body.status === 'active',
        );

        const ask = { duration: 'PT1H' };
        expect(
          invalidRequestBody('POST', '/requests/{id}/extend', ask),
        ).toEqual([]);
        const extended = await dana.post(`/requests/${id}/extend`, ask);
        expect(
          undocumented('POST', '/requests/{id}/extend', extended, 200),
        ).toEqual([]);
        const noMore = await dana.post(`/requests/${id}/extend`, ask);
        expect(
          undocumented('POST', '/requests/{id}/extend', noMore, 409),
        ).toEqual([]);
        const neither = await dana.post(`/requests/${id}/extend`, {});
        expect(
          undocumented('POST', '/requests/{id}/extend', neither, 400),
        ).toEqual([]);

        const grantId: string = active.items[0].id;
        const reveal = `/grants/${grantId}/credentials/reveal`;
        const shown = await dana.post(reveal);
        expect(
          undocumented('POST', '/grants/{id}/credentials/reveal', shown, 200),
        ).toEqual([]);
        const again = await dana.post(reveal);
        expect(
          undocumented('POST', '/grants/{id}/credentials/reveal', again, 409),
        ).toEqual([]);
        const reset = await dana.post(`/grants/${grantId}/credentials/reset`);
        expect(
          undocumented('POST', '/grants/{id}/credentials/reset', reset, 200),
        ).toEqual([]);

        const db = await dana.post('/requests', SUBMISSION);
        await as('lee').post(`/requests/${db.body.requests[0].id}/approve`);
        const tasks = await until(
          () => as('lee').get('/tasks'),
          res => res.body.items?.length > 0,
        );
        expect(undocumented('GET', '/tasks', tasks, 200)).toEqual([]);
        const taskId: string = tasks.body.items[0].id;
        const note = { note: 'Added to the readers' };
        expect(
          invalidRequestBody('POST', '/tasks/{id}/complete', note),
        ).toEqual([]);
        const done = await as('lee').post(`/tasks/${taskId}/complete`, note);
        expect(undocumented('POST', '/tasks/{id}/complete', done, 200)).toEqual(
          [],
        );
        const twice = await as('lee').post(`/tasks/${taskId}/complete`);
        expect(
          undocumented('POST', '/tasks/{id}/complete', twice, 409),
        ).toEqual([]);

        const findings = await as('alex').get('/admin/reconciliation');
        expect(
          undocumented('GET', '/admin/reconciliation', findings, 200),
        ).toEqual([]);
        const forbidden = await dana.get('/admin/reconciliation');
        expect(
          undocumented('GET', '/admin/reconciliation', forbidden, 403),
        ).toEqual([]);
      });

      it('POST /justification/feedback', async () => {
        const body = { text: 'need access', ticket: { id: 'INC-42' } };
        expect(
          invalidRequestBody('POST', '/justification/feedback', body),
        ).toEqual([]);
        const res = await backend
          .as('dana')
          .post('/justification/feedback', body);
        expect(
          undocumented('POST', '/justification/feedback', res, 200),
        ).toEqual([]);
      });

      it('GET /admin/audit/verify', async () => {
        const res = await backend.as('alex').get('/admin/audit/verify');
        expect(undocumented('GET', '/admin/audit/verify', res, 200)).toEqual(
          [],
        );
        const anchored = await backend
          .as('alex')
          .get(`/admin/audit/verify?anchor=1:${'a'.repeat(64)}`);
        expect(
          undocumented('GET', '/admin/audit/verify', anchored, 200),
        ).toEqual([]);
        const badAnchor = await backend
          .as('alex')
          .get('/admin/audit/verify?anchor=latest');
        expect(
          undocumented('GET', '/admin/audit/verify', badAnchor, 400),
        ).toEqual([]);
        const denied = await backend.as('dana').get('/admin/audit/verify');
        expect(undocumented('GET', '/admin/audit/verify', denied, 403)).toEqual(
          [],
        );
      });

      it('errors', async () => {
        const badQuery = await backend
          .as('dana')
          .get('/requests?view=everyone');
        expect(undocumented('GET', '/requests', badQuery, 400)).toEqual([]);

        const badId = await backend.as('dana').get('/requests/not-a-uuid');
        expect(undocumented('GET', '/requests/{id}', badId, 400)).toEqual([]);

        const missing = await backend
          .as('dana')
          .get('/requests/00000000-0000-4000-8000-000000000000');
        expect(undocumented('GET', '/requests/{id}', missing, 404)).toEqual([]);

        const badToken = await request(backend.server)
          .get('/api/access/me')
          .set('authorization', mockCredentials.user.invalidHeader());
        expect(undocumented('GET', '/me', badToken, 401)).toEqual([]);

        const service = await request(backend.server)
          .get('/api/access/me')
          .set('authorization', mockCredentials.service.header());
        expect(undocumented('GET', '/me', service, 403)).toEqual([]);
      });
    },
  );
});
