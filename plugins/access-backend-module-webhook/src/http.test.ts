import {
  isPermanentProvisioningError,
  ProvisioningError,
} from '@jit-access/plugin-access-node';
import {
  context,
  hang,
  json,
  logged,
  provisioner,
  rejection,
  startServer,
  stopServer,
  stopServers,
  target,
  text,
  verifies,
} from './__testUtils__/webhookServer';

afterEach(stopServers);

describe('createWebhookProvisioner over HTTP: retries, status classification, aborts', () => {
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
    await stopServer(server);

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
});
