/**
 * The least of Slack's Web API the Slack module needs to post and update approval messages, on
 * 127.0.0.1: for the test where one stage is decided in Slack and the next in Teams. (The Slack
 * module's own tests run against a fuller fake.)
 */
import { createHmac } from 'crypto';
import http from 'http';
import { AddressInfo } from 'net';

export const SLACK_BOT_TOKEN = 'xoxb-test-bot-token';
export const SLACK_SIGNING_SECRET = 'slack-signing-secret-for-tests';

export interface FakeSlackApi {
  /** The `apiUrl` to configure. */
  url: string;
  calls: Array<{ method: string; args: Record<string, any> }>;
  close(): Promise<void>;
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: FakeSlackApi['calls'] = [];
  let ts = 1_700_000_000;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
      const args: Record<string, any> = {};
      const type = req.headers['content-type'] ?? '';
      if (type.includes('json')) {
        Object.assign(args, JSON.parse(body || '{}'));
      } else {
        for (const [key, value] of new URLSearchParams(body)) {
          args[key] = value;
        }
      }
      calls.push({ method, args });
      const ok = req.headers.authorization === `Bearer ${SLACK_BOT_TOKEN}`;
      let answer: object = { ok: false, error: 'invalid_auth' };
      if (ok && method === 'chat.postMessage') {
        answer = {
          ok: true,
          channel: `D${String(args.channel).slice(1)}`,
          ts: `${ts++}.000100`,
        };
      } else if (ok && method === 'chat.update') {
        answer = { ok: true, channel: args.channel, ts: args.ts };
      } else if (ok) {
        answer = { ok: false, error: 'user_not_found' };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    calls,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A press of a Slack button, signed as Slack signs it (`v0:{timestamp}:{body}`). */
export function signedSlackClick(
  userId: string,
  requestId: string,
  actionId = 'access.approve',
): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams({
    payload: JSON.stringify({
      type: 'block_actions',
      user: { id: userId },
      trigger_id: `trigger-${userId}`,
      container: { type: 'message', channel_id: `D${userId.slice(1)}` },
      actions: [{ type: 'button', action_id: actionId, value: requestId }],
    }),
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SLACK_SIGNING_SECRET)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
  };
}
