import { mockCredentials } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import Ajv from 'ajv';
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
import { createRouter, RouterOptions } from './router';

/** The parts of an OpenAPI 3.0 document this test reads. */
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: Record<string, Record<string, unknown>>;
}

interface OpenApiOperation {
  description?: string;
  security?: unknown[];
  responses: Record<string, unknown>;
  requestBody?: unknown;
}

type Schema = { [key: string]: any };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

const doc: OpenApiDocument = parse(
  readFileSync(resolve(__dirname, '../../openapi.yaml'), 'utf8'),
);

/** Every (METHOD path) the document describes, paths as written in it. */
function documentedRoutes(): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter(key => HTTP_METHODS.includes(key))
      .map(method => `${method.toUpperCase()} ${path}`),
  );
}

/** Every (METHOD path) the router registers, `:param` written as `{param}`. */
async function routerRoutes(): Promise<string[]> {
  // Building the router only wires handlers; none of the dependencies is called, so stubs do.
  const stub = {} as any;
  const options: { [K in keyof RouterOptions]-?: unknown } = {
    httpAuth: stub,
    userInfo: stub,
    permissions: stub,
    store: stub,
    resources: stub,
    bundles: [],
    requests: stub,
    favorites: stub,
    credentials: stub,
    fulfilment: stub,
    reconciler: stub,
    auditor: stub,
  };
  const router = await createRouter(options as RouterOptions);
  return router.stack.flatMap(layer =>
    layer.route
      ? [
          ...new Set(layer.route.stack.map(routeLayer => routeLayer.method)),
        ].map(
          method =>
            `${method.toUpperCase()} ${layer.route!.path.replace(
              /:(\w+)/g,
              '{$1}',
            )}`,
        )
      : [],
  );
}

/** Every `$ref` anywhere under `node`. */
function collectRefs(node: unknown, refs: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach(child => collectRefs(child, refs));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        refs.push(value);
      } else {
        collectRefs(value, refs);
      }
    }
  }
  return refs;
}

/** What a local `$ref` (`#/a/b`) points at in the document, or undefined. */
function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) {
    return undefined;
  }
  return ref
    .slice(2)
    .split('/')
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>(
      (node, part) =>
        node && typeof node === 'object' && Object.hasOwn(node, part)
          ? node[part]
          : undefined,
      doc,
    );
}

const SCHEMA_PREFIX = '#/components/schemas/';

function componentSchema(ref: string): Schema {
  const schema = resolvePointer(ref);
  if (!ref.startsWith(SCHEMA_PREFIX) || !schema) {
    throw new Error(`Not a component schema: ${ref}`);
  }
  return schema as Schema;
}

/**
 * A copy of an OpenAPI schema for checking answers strictly: component refs point at the
 * strict copies of the components, an `allOf` of objects is merged into one object, and every object that does
 * not say otherwise gets `additionalProperties: false`, so that a field the API answers but the
 * document does not describe fails the test. (The document itself stays open for additions.)
 */
const STRICT_ID = 'openapi-strict.json';
const LOOSE_ID = 'openapi.json';

function strictCopy(schema: Schema): Schema {
  if (Array.isArray(schema)) {
    return schema.map(strictCopy);
  }
  if (!schema || typeof schema !== 'object') {
    return schema;
  }
  if (typeof schema.$ref === 'string') {
    componentSchema(schema.$ref);
    return {
      $ref: `${STRICT_ID}#/definitions/${schema.$ref.slice(
        SCHEMA_PREFIX.length,
      )}`,
    };
  }
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    const parts: Schema[] = allOf.map((part: Schema) =>
      part.$ref ? componentSchema(part.$ref) : part,
    );
    const merged: Schema = {
      ...rest,
      type: 'object',
      required: parts.flatMap(part => part.required ?? []),
      properties: Object.assign(
        {},
        ...parts.map(part => part.properties ?? {}),
      ),
    };
    return strictCopy(merged);
  }
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] =
      key === 'properties' || key === 'definitions'
        ? Object.fromEntries(
            Object.entries(value as Schema).map(([name, sub]) => [
              name,
              strictCopy(sub),
            ]),
          )
        : strictCopy(value);
  }
  if (
    copy.type === 'object' &&
    copy.properties &&
    copy.additionalProperties === undefined
  ) {
    copy.additionalProperties = false;
  }
  return copy;
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
// OpenAPI annotations that are not JSON Schema keywords.
ajv.addVocabulary(['example', 'externalDocs', 'xml', 'discriminator']);
ajv.addFormat(
  'uuid',
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
);
ajv.addFormat(
  'date-time',
  value =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i.test(
      value,
    ) && !Number.isNaN(Date.parse(value)),
);

/** The schema with component refs pointing at the components as written, nothing else changed. */
function rewriteRefs(schema: Schema): Schema {
  return JSON.parse(
    JSON.stringify(schema).replace(
      /"#\/components\/schemas\//g,
      `"${LOOSE_ID}#/definitions/`,
    ),
  );
}

/** Adds the components to ajv, once as written (for request bodies) and once strict (for answers). */
let componentsAdded = false;
function addComponents() {
  if (componentsAdded) {
    return;
  }
  const schemas = doc.components.schemas as Record<string, Schema>;
  ajv.addSchema({ $id: LOOSE_ID, definitions: rewriteRefs(schemas) });
  ajv.addSchema({
    $id: STRICT_ID,
    definitions: Object.fromEntries(
      Object.entries(schemas).map(([name, sub]) => [name, strictCopy(sub)]),
    ),
  });
  componentsAdded = true;
}

function validator(schema: Schema, strict: boolean) {
  addComponents();
  return ajv.compile(strict ? strictCopy(schema) : rewriteRefs(schema));
}

function operation(method: string, path: string): OpenApiOperation {
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) {
    throw new Error(`The document has no ${method} ${path}`);
  }
  return op;
}

/** The JSON schema of an answer, following a `$ref` to `components/responses`. */
function responseSchema(method: string, path: string, status: number) {
  let response: any = operation(method, path).responses[String(status)];
  if (!response) {
    throw new Error(`${method} ${path} documents no ${status} answer`);
  }
  if (response.$ref) {
    response = resolvePointer(response.$ref);
  }
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) {
    throw new Error(`${method} ${path} ${status} has no JSON schema`);
  }
  return schema as Schema;
}

function requestBodySchema(method: string, path: string) {
  let body: any = operation(method, path).requestBody;
  if (body?.$ref) {
    body = resolvePointer(body.$ref);
  }
  const schema = body?.content?.['application/json']?.schema;
  if (!schema) {
    throw new Error(`${method} ${path} has no JSON request body`);
  }
  return schema as Schema;
}

/**
 * What is wrong with an answer, measured against the document: a status other than expected,
 * or a body its schema for that status rejects (or any body where it documents none).
 */
function undocumented(
  method: string,
  path: string,
  res: { status: number; body: unknown; text?: string },
  status: number,
): unknown[] {
  const where = `${method} ${path} ${status}`;
  if (res.status !== status) {
    return [{ where, status: res.status, body: res.body }];
  }
  let response: any = operation(method, path).responses[String(status)];
  if (response?.$ref) {
    response = resolvePointer(response.$ref);
  }
  if (response && !response.content) {
    return res.text ? [{ where, unexpectedBody: res.text }] : [];
  }
  const validate = validator(responseSchema(method, path, status), true);
  return validate(res.body)
    ? []
    : (validate.errors ?? []).map(error => ({ where, ...error }));
}

/** What is wrong with a request body, measured against the document. */
function invalidRequestBody(
  method: string,
  path: string,
  body: object,
): unknown[] {
  const validate = validator(requestBodySchema(method, path), false);
  return validate(body) ? [] : validate.errors ?? [];
}

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

  describe('matches what the backend answers', () => {
    const SUBMISSION = {
      items: [{ resourceRef: 'payments-db', permission: 'read' }],
      justification: 'Investigate failed payouts in INC-42',
    };
    let backend: Awaited<ReturnType<typeof startAccessBackend>>;

    beforeAll(async () => {
      backend = await startAccessBackend();
    });

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

      const mine = await dana.get(
        '/requests?view=mine&status=pending_approval,scheduled',
      );
      expect(undocumented('GET', '/requests', mine, 200)).toEqual([]);
      expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(id);

      const inbox = await lee.get('/inbox');
      expect(undocumented('GET', '/inbox', inbox, 200)).toEqual([]);
      expect(inbox.body.items.map((r: { id: string }) => r.id)).toContain(id);

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
      expect(invalidRequestBody('POST', '/requests/{id}/extend', ask)).toEqual(
        [],
      );
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
      expect(invalidRequestBody('POST', '/tasks/{id}/complete', note)).toEqual(
        [],
      );
      const done = await as('lee').post(`/tasks/${taskId}/complete`, note);
      expect(undocumented('POST', '/tasks/{id}/complete', done, 200)).toEqual(
        [],
      );
      const twice = await as('lee').post(`/tasks/${taskId}/complete`);
      expect(undocumented('POST', '/tasks/{id}/complete', twice, 409)).toEqual(
        [],
      );

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
      expect(undocumented('POST', '/justification/feedback', res, 200)).toEqual(
        [],
      );
    });

    it('GET /admin/audit/verify', async () => {
      const res = await backend.as('alex').get('/admin/audit/verify');
      expect(undocumented('GET', '/admin/audit/verify', res, 200)).toEqual([]);
      const anchored = await backend
        .as('alex')
        .get(`/admin/audit/verify?anchor=1:${'a'.repeat(64)}`);
      expect(undocumented('GET', '/admin/audit/verify', anchored, 200)).toEqual(
        [],
      );
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
      const badQuery = await backend.as('dana').get('/requests?view=everyone');
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
  });
});
