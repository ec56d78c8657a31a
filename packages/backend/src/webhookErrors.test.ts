/*
 * What a webhook's downstream answers stays out of what requesters, grantees and approvers read:
 * the access plugin and the webhook module run together, as the portal runs them, against a
 * receiver that fails with a secret in its body, its status text and a Location header.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import accessPlugin from '@jit-access/plugin-access-backend';
import webhookModule from '@jit-access/plugin-access-backend-module-webhook';
import http from 'node:http';
import { AddressInfo } from 'node:net';

jest.setTimeout(60_000);

const SECRET_BODY =
  'connection string postgres://admin:hunter2@10.0.0.5/payments';
const SECRET_LOCATION = 'https://internal.example.com/debug?token=abc123';
const LEAKS = /hunter2|abc123|internal\.example|10\.0\.0\.5/;

describe('a webhook that fails', () => {
  let receiver: http.Server;
  let calls = 0;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls += 1;
        // A server error first (retried), then a redirect (refused for good).
        res.writeHead(calls === 1 ? 500 : 302, 'Oops hunter2', {
          'content-type': 'text/plain',
          location: SECRET_LOCATION,
        });
        res.end(SECRET_BODY);
      });
    });
    await new Promise<void>(resolve =>
      receiver.listen(0, '127.0.0.1', resolve),
    );
  });

  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise(resolve => receiver.close(resolve));
  });

  it('leaves its body, status text and Location out of lastError, the audit trail and the request view', async () => {
    const { port } = receiver.address() as AddressInfo;
    const backend = await startTestBackend({
      features: [
        accessPlugin,
        webhookModule,
        catalogPlugin,
        mockServices.rootConfig.factory({
          data: {
            access: {
              engine: {
                // Two seconds between the attempts: time to read the first error.
                retry: { maxAttempts: 2, initialDelay: 'PT2S' },
              },
              webhook: {
                endpoints: [
                  {
                    id: 'hooks',
                    url: `http://127.0.0.1:${port}/grant`,
                    secret: 'a-test-secret',
                    // The receiver listens on this machine, without TLS.
                    allowInsecure: true,
                    retries: 0,
                  },
                ],
              },
              resources: [
                {
                  ref: 'sandbox',
                  title: 'Sandbox',
                  type: 'sandbox',
                  integration: 'hooks',
                  permissions: ['use'],
                  owners: ['platform'],
                },
              ],
              flows: [
                {
                  id: 'self-service',
                  title: 'Self-service',
                  resources: { refs: ['sandbox'] },
                  durations: ['PT1H'],
                },
              ],
            },
          },
        }),
      ],
    });
    try {
      const base = `http://127.0.0.1:${
        (backend.server.address() as AddressInfo).port
      }/api/access`;
      const headers = {
        authorization: mockCredentials.user.header('user:default/dana'),
        'content-type': 'application/json',
      };
      const submitted = await fetch(`${base}/requests`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          items: [{ resourceRef: 'sandbox', permission: 'use' }],
        }),
      });
      expect(submitted.status).toBe(201);
      const id = (await submitted.json()).requests[0].id;

      // Every answer while the engine works: after the 500 (retried) and after the 302.
      const seen: string[] = [];
      let view: any;
      for (let i = 0; i < 400; i++) {
        const text = await (
          await fetch(`${base}/requests/${id}`, { headers })
        ).text();
        seen.push(text);
        view = JSON.parse(text);
        if (view.status === 'failed') {
          break;
        }
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      expect(view.status).toBe('failed');
      expect(calls).toBe(2);

      // The status code and a fixed text, for everyone who reads the request...
      expect(view.items[0].lastError).toBe(
        "Webhook 'hooks' grant of " +
          `${view.items[0].id} was refused: HTTP 302 Found (redirects are not followed) (gave up after 2 attempts)`,
      );
      expect(
        seen.some(text =>
          JSON.parse(text).items[0].lastError?.endsWith(
            'failed after 1 attempt: HTTP 500 Internal Server Error',
          ),
        ),
      ).toBe(true);
      expect(
        view.audit.find((e: any) => e.action === 'grant-item-failed').details
          .error,
      ).toContain('HTTP 302 Found');
      // ...and nothing the receiver said, in any answer.
      for (const text of seen) {
        expect(text).not.toMatch(LEAKS);
      }
      const list = await (
        await fetch(`${base}/requests?view=mine`, { headers })
      ).text();
      expect(list).not.toMatch(LEAKS);
    } finally {
      await backend.stop();
    }
  });
});
