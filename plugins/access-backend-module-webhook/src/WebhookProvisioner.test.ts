import { isPermanentProvisioningError } from '@jit-access/plugin-access-node';
import {
  context,
  json,
  logged,
  provisioner,
  rejection,
  SECRET,
  startServer,
  stopServers,
  target,
  text,
  verifies,
} from './__testUtils__/webhookServer';

afterEach(stopServers);

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
