import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import Ajv from 'ajv';
import { createRouter, RouterOptions } from '../service/router';

/*
 * openapi.yaml, read for the tests that hold it to the router: its routes, a validator for its
 * schemas, and what it says about a request or an answer.
 */

/** The parts of an OpenAPI 3.0 document the tests read. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: Record<string, Record<string, unknown>>;
}

export interface OpenApiOperation {
  description?: string;
  security?: unknown[];
  parameters?: unknown[];
  responses: Record<string, unknown>;
  requestBody?: unknown;
}

interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema: Schema;
}

export type Schema = { [key: string]: any };

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

export const doc: OpenApiDocument = parse(
  readFileSync(resolve(__dirname, '../../openapi.yaml'), 'utf8'),
);

/** Every (METHOD path) the document describes, paths as written in it. */
export function documentedRoutes(): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter(key => HTTP_METHODS.includes(key))
      .map(method => `${method.toUpperCase()} ${path}`),
  );
}

/** Every (METHOD path) the router registers, `:param` written as `{param}`. */
export async function routerRoutes(): Promise<string[]> {
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
    suggestions: stub,
    favorites: stub,
    credentials: stub,
    fulfilment: stub,
    reconciler: stub,
    chat: stub,
    auditor: stub,
    rateLimits: stub,
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
export function collectRefs(node: unknown, refs: string[] = []): string[] {
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
export function resolvePointer(ref: string): unknown {
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

/** The node itself, or what its `$ref` points at. */
function deref<T>(node: any): T {
  return node?.$ref ? (resolvePointer(node.$ref) as T) : node;
}

export const SCHEMA_PREFIX = '#/components/schemas/';

function componentSchema(ref: string): Schema {
  const schema = resolvePointer(ref);
  if (!ref.startsWith(SCHEMA_PREFIX) || !schema) {
    throw new Error(`Not a component schema: ${ref}`);
  }
  return schema as Schema;
}

/**
 * A copy of an OpenAPI schema for checking answers strictly: component refs point at the
 * strict copies of the components, an `allOf` of objects is merged into one object, and every
 * object that does not say otherwise gets `additionalProperties: false`, so that a field the API
 * answers but the document does not describe fails the test. (The document itself stays open
 * for additions.)
 */
const STRICT_ID = 'openapi-strict.json';
const LOOSE_ID = 'openapi.json';

function isObjectSchema(schema: Schema): boolean {
  return schema.type === 'object' || schema.properties !== undefined;
}

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
    // A string with a description beside its `allOf` (a ref to a string component) stays as it is.
    if (parts.some(isObjectSchema)) {
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

/** Adds the components to ajv, once as written (for requests) and once strict (for answers). */
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

const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

/** An ajv validator of a schema of the document: strict for answers, as written for requests. */
export function validator(schema: Schema, strict: boolean) {
  addComponents();
  const key = `${strict}:${JSON.stringify(schema)}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(strict ? strictCopy(schema) : rewriteRefs(schema));
    compiled.set(key, validate);
  }
  return validate;
}

export function operation(method: string, path: string): OpenApiOperation {
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) {
    throw new Error(`The document has no ${method} ${path}`);
  }
  return op;
}

/** The HTTP statuses an operation documents (not `default`). */
export function documentedStatuses(method: string, path: string): number[] {
  return Object.keys(operation(method, path).responses)
    .filter(code => /^\d{3}$/.test(code))
    .map(Number);
}

/** A documented answer, following a `$ref` to `components/responses`. */
export function documentedResponse(
  method: string,
  path: string,
  status: number,
): { description?: string; headers?: Record<string, any>; content?: any } {
  const response = operation(method, path).responses[String(status)];
  if (!response) {
    throw new Error(`${method} ${path} documents no ${status} answer`);
  }
  return deref(response);
}

/** The JSON schema of an answer. */
export function responseSchema(method: string, path: string, status: number) {
  const schema = documentedResponse(method, path, status).content?.[
    'application/json'
  ]?.schema;
  if (!schema) {
    throw new Error(`${method} ${path} ${status} has no JSON schema`);
  }
  return schema as Schema;
}

export function requestBodySchema(method: string, path: string) {
  const body: any = deref(operation(method, path).requestBody);
  const schema = body?.content?.['application/json']?.schema;
  if (!schema) {
    throw new Error(`${method} ${path} has no JSON request body`);
  }
  return schema as Schema;
}

/**
 * What is wrong with an answer, measured against the document: a status other than expected,
 * a header it requires missing, or a body its schema for that status rejects (or any body where
 * it documents none).
 */
export function undocumented(
  method: string,
  path: string,
  res: {
    status: number;
    body: unknown;
    text?: string;
    headers?: Record<string, string>;
  },
  status: number,
): unknown[] {
  const where = `${method} ${path} ${status}`;
  if (res.status !== status) {
    return [{ where, status: res.status, body: res.body }];
  }
  const response = documentedResponse(method, path, status);
  const missingHeaders = Object.entries(response.headers ?? {})
    .filter(
      ([name, header]) => header.required && !res.headers?.[name.toLowerCase()],
    )
    .map(([name]) => ({ where, missingHeader: name }));
  if (missingHeaders.length > 0) {
    return missingHeaders;
  }
  if (!response.content) {
    return res.text ? [{ where, unexpectedBody: res.text }] : [];
  }
  const validate = validator(responseSchema(method, path, status), true);
  return validate(res.body)
    ? []
    : (validate.errors ?? []).map(error => ({ where, ...error }));
}

/** What is wrong with a request body, measured against the document. */
export function invalidRequestBody(
  method: string,
  path: string,
  body: unknown,
): unknown[] {
  const validate = validator(requestBodySchema(method, path), false);
  return validate(body) ? [] : validate.errors ?? [];
}

/** A request as the document sees it: path parameters, query parameters and body. */
export interface DocumentedRequest {
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  /** A JSON value, or (`raw`) the exact text of the body. */
  body?: unknown;
  raw?: string;
}

/** A query or path value as a parameter's schema reads it: numbers, and form-style lists. */
function parameterValue(parameter: OpenApiParameter, value: string): unknown {
  const type = deref<Schema>(parameter.schema).type;
  if (type === 'array' && parameter.explode === false) {
    // As the document says of its lists: comma-separated, blank entries ignored.
    return value.split(',').filter(Boolean);
  }
  if (
    (type === 'integer' || type === 'number') &&
    /^-?\d+(\.\d+)?$/.test(value)
  ) {
    return Number(value);
  }
  return value;
}

/**
 * What is wrong with a whole request, measured against the document: each path and query
 * parameter against its schema (a query parameter the operation does not list is wrong; one
 * given twice is wrong unless it is a list), and the body against the request body's schema
 * (text that is not JSON is wrong; an absent body is wrong where the body is required).
 */
export function invalidRequest(
  method: string,
  path: string,
  request: DocumentedRequest,
): unknown[] {
  const op = operation(method, path);
  const parameters = (op.parameters ?? []).map(p => deref<OpenApiParameter>(p));
  const problems: unknown[] = [];
  const check = (parameter: OpenApiParameter, value: string | string[]) => {
    if (Array.isArray(value)) {
      problems.push({ parameter: parameter.name, given: 'more than once' });
      return;
    }
    const validate = validator(parameter.schema, false);
    if (!validate(parameterValue(parameter, value))) {
      problems.push(
        ...(validate.errors ?? []).map(e => ({
          parameter: parameter.name,
          ...e,
        })),
      );
    }
  };
  for (const location of ['path', 'query'] as const) {
    const given = (location === 'path' ? request.params : request.query) ?? {};
    const listed = parameters.filter(p => p.in === location);
    for (const [name, value] of Object.entries(given)) {
      const parameter = listed.find(p => p.name === name);
      if (parameter) {
        check(parameter, value);
      } else {
        problems.push({
          [location]: name,
          problem: 'not a documented parameter',
        });
      }
    }
    for (const parameter of listed) {
      if (parameter.required && given[parameter.name] === undefined) {
        problems.push({ [location]: parameter.name, problem: 'missing' });
      }
    }
  }

  let body = request.body;
  if (request.raw !== undefined) {
    try {
      body = JSON.parse(request.raw);
    } catch {
      return [...problems, { body: 'not JSON' }];
    }
  }
  const requestBody = deref<{ required?: boolean }>(op.requestBody);
  if (body === undefined) {
    return requestBody?.required
      ? [...problems, { body: 'missing' }]
      : problems;
  }
  if (!requestBody) {
    return [...problems, { body: 'the operation takes none' }];
  }
  return [...problems, ...invalidRequestBody(method, path, body)];
}
