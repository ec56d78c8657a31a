import { mockServices } from '@backstage/backend-test-utils';
import {
  isPermanentProvisioningError,
  ProvisioningContext,
  ProvisioningError,
  ProvisioningTarget,
} from '@jit-access/plugin-access-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  createWebhookProvisioner,
  WebhookProvisionerOptions,
} from './WebhookProvisioner';
import { verifyWebhookSignature } from './signature';

const SECRET = 'test-secret-0123456789';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
}

type Reply = (received: Received, res: http.ServerResponse) => void;

/** Servers started by the current test, closed after it. */
const servers: http.Server[] = [];

/** A real HTTP server on a free port, answering the n-th request with `replies[n]` (or the last). */
async function startServer(...replies: Reply[]) {
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

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  }
});

function json(status: number, body: unknown, headers = {}): Reply {
  return (_received, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
}

function text(status: number, body: string, headers = {}): Reply {
  return (_received, res) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  };
}

/** Never answers. */
const hang: Reply = () => {};

const target: ProvisioningTarget = {
  grantId: 'grant-1',
  requestId: 'request-1',
  resourceRef: 'resource:default/payments-db',
  resourceType: 'database',
  permission: 'read',
  granteeRef: 'user:default/jane',
  startsAt: '2025-01-01T10:00:00.000Z',
  endsAt: '2025-01-01T12:00:00.000Z',
};

function context(
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

function provisioner(
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
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

function verifies(
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
function logged(ctx: ReturnType<typeof context>): string {
  return [...ctx.logger.warn.mock.calls, ...ctx.logger.info.mock.calls]
    .map(call => String(call[0]))
    .join('\n');
}

describe('createWebhookProvisioner', () => {
  it('describes itself', () => {
    const p = provisioner('http://127.0.0.1:1', { title: 'Hooks' });
    expect(p.id).toBe('hooks');
    expect(p.title).toBe('Hooks');
    expect(p.overlap).toBe('shared');
    expect(p.observe).toBeUndefined();
  });

  it('grants with a signed JSON POST and returns externalId and credentials', async () => {
    const { url, requests } = await startServer(
      json(200, {
        externalId: 'membership-42',
        credentials: { username: 'jane', password: 's3cret' },
        ignored: true,
      }),
    );
    const result = await provisioner(`${url}/hooks/access`).grant(
      target,
      context(),
    );

    expect(result).toEqual({
      externalId: 'membership-42',
      credentials: { username: 'jane', password: 's3cret' },
    });
    expect(requests).toHaveLength(1);
    const [received] = requests;
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/hooks/access');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['x-jit-access-idempotency-key']).toBe(
      'grant-1:grant',
    );
    const timestamp = Number(received.headers['x-jit-access-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(received.headers['x-jit-access-signature']).toMatch(
      /^sha256=[0-9a-f]{64}$/,
    );
    expect(verifies(received)).toBe(true);
    expect(verifies(received, 'another-secret')).toBe(false);
    // Signed for its path: replayed to another path of the same receiver, it does not verify.
    expect(verifies(received, SECRET, '/hooks/revoke')).toBe(false);
    expect(verifies(received, SECRET, '/hooks/access?dry=1')).toBe(false);
    expect(JSON.parse(received.rawBody.toString('utf8'))).toEqual({
      action: 'grant',
      grantId: 'grant-1',
      requestId: 'request-1',
      resourceRef: 'resource:default/payments-db',
      resourceType: 'database',
      permission: 'read',
      granteeRef: 'user:default/jane',
      startsAt: '2025-01-01T10:00:00.000Z',
      endsAt: '2025-01-01T12:00:00.000Z',
      idempotencyKey: 'grant-1:grant',
    });
  });

  it('accepts an empty or plain-text 2xx response as done', async () => {
    const { url } = await startServer((_received, res) => {
      res.writeHead(204);
      res.end();
    }, text(200, 'OK'));
    const p = provisioner(url);
    await expect(p.grant(target, context())).resolves.toEqual({});
    await expect(p.grant(target, context())).resolves.toEqual({});
  });

  it('revokes with action revoke and the externalId from the grant', async () => {
    const { url, requests } = await startServer(json(200, { ok: true }));
    const result = await provisioner(url).revoke(
      { ...target, externalId: 'membership-42' },
      context({ idempotencyKey: 'grant-1:revoke' }),
    );

    expect(result).toBeUndefined();
    expect(requests).toHaveLength(1);
    const [received] = requests;
    expect(received.headers['x-jit-access-idempotency-key']).toBe(
      'grant-1:revoke',
    );
    expect(verifies(received)).toBe(true);
    expect(JSON.parse(received.rawBody.toString('utf8'))).toMatchObject({
      action: 'revoke',
      grantId: 'grant-1',
      externalId: 'membership-42',
      idempotencyKey: 'grant-1:revoke',
    });
  });

  it('retries after a 500 with the same idempotency key and body', async () => {
    const { url, requests } = await startServer(
      text(500, 'database is down'),
      json(201, { externalId: 'x-1' }),
    );
    const ctx = context();
    await expect(provisioner(url).grant(target, ctx)).resolves.toEqual({
      externalId: 'x-1',
    });

    expect(requests).toHaveLength(2);
    expect(requests[1].headers['x-jit-access-idempotency-key']).toBe(
      requests[0].headers['x-jit-access-idempotency-key'],
    );
    expect(requests[1].rawBody.equals(requests[0].rawBody)).toBe(true);
    expect(requests.every(r => verifies(r))).toBe(true);
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('HTTP 500'),
    );
  });

  it('ends with a transient error when the server keeps failing', async () => {
    const { url, requests } = await startServer(text(503, 'overloaded'));
    const error = await rejection(
      provisioner(url, { retries: 3 }).grant(target, context()),
    );

    expect(requests).toHaveLength(4);
    expect(error).not.toBeInstanceOf(ProvisioningError);
    expect(isPermanentProvisioningError(error)).toBe(false);
    expect(error.message).toContain("Webhook 'hooks' grant of grant-1");
    expect(error.message).toContain('after 4 attempts');
    expect(error.message).toContain('HTTP 503 Service Unavailable');
    expect(error.message).not.toContain('overloaded');
  });

  it('does not retry within the call when retries is 0', async () => {
    const { url, requests } = await startServer(text(502, 'bad gateway'));
    const error = await rejection(
      provisioner(url, { retries: 0 }).revoke(target, context()),
    );
    expect(requests).toHaveLength(1);
    expect(isPermanentProvisioningError(error)).toBe(false);
  });

  it.each([400, 403, 404, 422])(
    'fails permanently on %s without retrying',
    async status => {
      const { url, requests } = await startServer(
        json(status, { error: `no such group ${'x'.repeat(500)}` }),
      );
      const ctx = context();
      const error = await rejection(provisioner(url).grant(target, ctx));

      expect(requests).toHaveLength(1);
      expect(error).toBeInstanceOf(ProvisioningError);
      expect(isPermanentProvisioningError(error)).toBe(true);
      expect(error.message).toContain(`HTTP ${status}`);
      // The body is for the operators' log (an excerpt), never for the error.
      expect(error.message).not.toContain('no such group');
      expect(logged(ctx)).toContain('no such group');
      expect(logged(ctx).length).toBeLessThan(600);
    },
  );

  it('keeps what the downstream answered out of its errors: body, Location and status text go to the log', async () => {
    const secretBody = 'db password is hunter2; session=abc123';
    const { url } = await startServer(
      (_received, res) => {
        res.writeHead(500, 'Oops hunter2', {
          'content-type': 'text/plain',
          location: 'https://internal.example.com/debug?token=abc123',
        });
        res.end(secretBody);
      },
      text(302, secretBody, {
        location: 'https://internal.example.com/login?token=abc123',
      }),
    );
    const ctx = context();
    const transient = await rejection(
      provisioner(url, { retries: 0 }).grant(target, ctx),
    );
    expect(transient.message).toBe(
      "Webhook 'hooks' grant of grant-1 failed after 1 attempt: HTTP 500 Internal Server Error",
    );
    const permanent = await rejection(
      provisioner(url, { retries: 0 }).grant(target, ctx),
    );
    expect(permanent.message).toBe(
      "Webhook 'hooks' grant of grant-1 was refused: HTTP 302 Found (redirects are not followed)",
    );
    for (const error of [transient, permanent]) {
      expect(error.message).not.toMatch(/hunter2|abc123|internal\.example/);
    }
    expect(logged(ctx)).toContain(secretBody);
    expect(logged(ctx)).toContain(
      'Location: https://internal.example.com/debug?token=abc123',
    );
    expect(logged(ctx)).toContain("status text 'Oops hunter2'");
  });

  it('refuses an http URL unless allowInsecure is set', () => {
    expect(() =>
      provisioner('http://hooks.example.com/x', { allowInsecure: false }),
    ).toThrow(
      "Webhook 'hooks': url is an http URL, which sends the signed requests in the clear; use https, or set allowInsecure",
    );
    expect(() =>
      provisioner('https://hooks.example.com/x', {
        allowInsecure: undefined,
        observeUrl: 'http://hooks.example.com/observe',
      }),
    ).toThrow("Webhook 'hooks': observeUrl is an http URL");
    expect(
      provisioner('https://hooks.example.com/x', { allowInsecure: undefined })
        .id,
    ).toBe('hooks');
  });

  it.each([408, 429])('treats %s as transient', async status => {
    const { url, requests } = await startServer(text(status, 'slow down'));
    const error = await rejection(
      provisioner(url, { retries: 1 }).grant(target, context()),
    );
    expect(requests).toHaveLength(2);
    expect(isPermanentProvisioningError(error)).toBe(false);
    expect(error.message).toContain(`HTTP ${status}`);
  });

  it('gives up at once on a Retry-After longer than it is willing to wait', async () => {
    const { url, requests } = await startServer(
      text(429, 'slow down', { 'retry-after': '3600' }),
    );
    const error = await rejection(provisioner(url).grant(target, context()));
    expect(requests).toHaveLength(1);
    expect(isPermanentProvisioningError(error)).toBe(false);
    expect(error.message).toContain('retry after 3600 s');
  });

  it('does not follow redirects', async () => {
    const other = await startServer(json(200, {}));
    const { url, requests } = await startServer(
      text(307, '', { location: `${other.url}/elsewhere` }),
    );
    const error = await rejection(provisioner(url).grant(target, context()));
    expect(requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
    expect(isPermanentProvisioningError(error)).toBe(true);
    expect(error.message).toContain('HTTP 307');
    expect(error.message).not.toContain(other.url);
  });

  it('times out on a server that never answers, as a transient error', async () => {
    const { url, requests } = await startServer(hang);
    const error = await rejection(
      provisioner(url, { timeoutMs: 200, retries: 1 }).grant(target, context()),
    );
    expect(requests).toHaveLength(2);
    expect(isPermanentProvisioningError(error)).toBe(false);
    expect(error.message).toContain('timed out after 200 ms');
  });

  it('reports a refused connection as transient', async () => {
    const { url, server } = await startServer(json(200, {}));
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
    servers.splice(servers.indexOf(server), 1);

    const error = await rejection(
      provisioner(url, { retries: 1 }).grant(target, context()),
    );
    expect(isPermanentProvisioningError(error)).toBe(false);
    expect(error.message).toContain('after 2 attempts');
    expect(error.message).toContain('network error (ECONNREFUSED)');
    // Addresses stay in the log.
    expect(error.message).not.toContain('127.0.0.1');
  });

  it('stops when the signal is aborted during a request', async () => {
    const controller = new AbortController();
    const { url, requests } = await startServer(() =>
      controller.abort(new Error('backend is shutting down')),
    );
    const error = await rejection(
      provisioner(url, { timeoutMs: 60_000 }).grant(
        target,
        context({ signal: controller.signal }),
      ),
    );
    expect(requests).toHaveLength(1);
    expect(error.name).toBe('AbortError');
    expect(error.message).toContain('backend is shutting down');
    expect(isPermanentProvisioningError(error)).toBe(false);
  });

  it('stops when the signal is aborted while waiting to retry', async () => {
    const controller = new AbortController();
    const { url, requests } = await startServer((received, res) => {
      text(500, 'boom')(received, res);
      controller.abort();
    });
    const error = await rejection(
      provisioner(url, { retryDelayMs: 60_000 }).grant(
        target,
        context({ signal: controller.signal }),
      ),
    );
    expect(requests).toHaveLength(1);
    expect(error.name).toBe('AbortError');
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { url, requests } = await startServer(json(200, {}));
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      provisioner(url).revoke(target, context({ signal: controller.signal })),
    );
    expect(error.name).toBe('AbortError');
    expect(requests).toHaveLength(0);
  });

  it('fails permanently on a 2xx response with invalid credentials', async () => {
    const { url } = await startServer(
      json(200, { credentials: { password: 42 } }),
    );
    const error = await rejection(provisioner(url).grant(target, context()));
    expect(isPermanentProvisioningError(error)).toBe(true);
    expect(error.message).toContain('credentials.password must be a string');
  });

  describe('observe', () => {
    it('reads the access that exists with a signed GET', async () => {
      const { url, requests } = await startServer(
        json(200, {
          items: [
            {
              resourceRef: 'resource:default/payments-db',
              permission: 'read',
              granteeRef: 'user:default/jane',
              grantId: 'grant-1',
              externalId: 'membership-42',
              extra: 'ignored',
            },
            {
              resourceRef: 'resource:default/payments-db',
              permission: 'write',
              granteeRef: 'user:default/joe',
              grantId: null,
            },
          ],
        }),
      );
      const p = provisioner(`${url}/grant`, {
        observeUrl: `${url}/observe?all=1`,
      });
      const { idempotencyKey: _, ...ctx } = context();
      const items = await p.observe!(ctx);

      expect(items).toEqual([
        {
          resourceRef: 'resource:default/payments-db',
          permission: 'read',
          granteeRef: 'user:default/jane',
          grantId: 'grant-1',
          externalId: 'membership-42',
        },
        {
          resourceRef: 'resource:default/payments-db',
          permission: 'write',
          granteeRef: 'user:default/joe',
        },
      ]);
      expect(requests).toHaveLength(1);
      expect(requests[0].method).toBe('GET');
      expect(requests[0].url).toBe('/observe?all=1');
      expect(requests[0].rawBody.length).toBe(0);
      expect(requests[0].headers['x-jit-access-idempotency-key']).toBe(
        undefined,
      );
      expect(verifies(requests[0])).toBe(true);
    });

    it('rejects a response of the wrong shape', async () => {
      const { url } = await startServer(
        json(200, { items: [{ resourceRef: 'resource:default/x' }] }),
      );
      const p = provisioner(url, { observeUrl: url });
      const error = await rejection(p.observe!(context()));
      expect(error.message).toContain('items[0].permission');
      expect(error.message).toContain('items[0].granteeRef');
    });

    it('rejects a response that is not JSON', async () => {
      const { url } = await startServer(text(200, '<html>login</html>'));
      const p = provisioner(url, { observeUrl: url });
      const ctx = context();
      const error = await rejection(p.observe!(ctx));
      expect(error.message).toContain('no JSON body');
      expect(error.message).not.toContain('login');
      expect(logged(ctx)).toContain('<html>login</html>');
    });
  });
});
