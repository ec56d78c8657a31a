import { mockServices } from '@backstage/backend-test-utils';
import {
  ProvisioningContext,
  ProvisioningTarget,
} from '@jit-access/plugin-access-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  createWebhookProvisioner,
  WebhookProvisionerOptions,
} from '../WebhookProvisioner';
import { verifyWebhookSignature } from '../signature';

/** The secret the test provisioners sign with. */
export const SECRET = 'test-secret-0123456789';

/** A request as the test server received it. */
export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
}

/** How the test server answers one request. */
export type Reply = (received: Received, res: http.ServerResponse) => void;

/** Servers started by the current test, closed after it. */
const servers: http.Server[] = [];

/** A real HTTP server on a free port, answering the n-th request with `replies[n]` (or the last). */
export async function startServer(...replies: Reply[]) {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const received: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
      };
      requests.push(received);
      const reply = replies[Math.min(requests.length, replies.length) - 1];
      reply(received, res);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}`, requests, server };
}

/** Closes one server now, e.g. to have its port refuse connections. */
export async function stopServer(server: http.Server) {
  const index = servers.indexOf(server);
  if (index >= 0) {
    servers.splice(index, 1);
  }
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
}

/** Closes every server the current test started; for `afterEach`. */
export async function stopServers() {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  }
}

/** Answers with `body` as JSON. */
export function json(status: number, body: unknown, headers = {}): Reply {
  return (_received, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
}

/** Answers with `body` as plain text. */
export function text(status: number, body: string, headers = {}): Reply {
  return (_received, res) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  };
}

/** Never answers. */
export const hang: Reply = () => {};

/** One grant of read on payments-db to jane. */
export const target: ProvisioningTarget = {
  grantId: 'grant-1',
  requestId: 'request-1',
  resourceRef: 'resource:default/payments-db',
  resourceType: 'database',
  permission: 'read',
  granteeRef: 'user:default/jane',
  startsAt: '2025-01-01T10:00:00.000Z',
  endsAt: '2025-01-01T12:00:00.000Z',
};

/** A call's context; its logger is a mock whose calls the tests read. */
export function context(
  overrides: Partial<ProvisioningContext> = {},
): ProvisioningContext & {
  logger: ReturnType<typeof mockServices.logger.mock>;
} {
  return {
    signal: new AbortController().signal,
    logger: mockServices.logger.mock(),
    idempotencyKey: 'grant-1:grant',
    ...overrides,
  } as any;
}

/** A provisioner posting to `url`, with short waits between retries. */
export function provisioner(
  url: string,
  options: Partial<WebhookProvisionerOptions> = {},
) {
  return createWebhookProvisioner({
    id: 'hooks',
    url,
    secret: SECRET,
    // The test servers listen on 127.0.0.1 without TLS.
    allowInsecure: true,
    timeoutMs: 5000,
    retries: 2,
    retryDelayMs: 10,
    ...options,
  });
}

/** The error a promise rejects with, failing the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** Whether the request's signature verifies with `secret` for `path`. */
export function verifies(
  received: Received,
  secret = SECRET,
  path = received.url,
): boolean {
  return verifyWebhookSignature({
    secret,
    timestamp: received.headers['x-jit-access-timestamp'],
    signature: received.headers['x-jit-access-signature'],
    method: received.method,
    path,
    body: received.rawBody,
  });
}

/** Everything the operators' log got, as one text. */
export function logged(ctx: ReturnType<typeof context>): string {
  return [...ctx.logger.warn.mock.calls, ...ctx.logger.info.mock.calls]
    .map(call => String(call[0]))
    .join('\n');
}
