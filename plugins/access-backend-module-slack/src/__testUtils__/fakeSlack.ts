import { createHmac } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One Web API call the fake received. */
export interface SlackCall {
  method: string;
  args: Record<string, any>;
  token?: string;
  at: number;
  /** What the fake answered (a forced failure: nothing). */
  result?: Record<string, any>;
}

/** An answer to force on the next call of a method: an HTTP status, with Retry-After for 429. */
export interface ForcedAnswer {
  status: number;
  retryAfter?: number;
}

/**
 * A local stand-in for Slack's Web API (`apiUrl` points at it): it answers the methods the
 * module calls as Slack does, checks the bot token, keeps every call, and fails a call on
 * demand (HTTP 500, or 429 with Retry-After) to play an outage.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly forced = new Map<string, ForcedAnswer[]>();
  /** Slack users' e-mail addresses, for users.info and users.lookupByEmail. */
  readonly emails = new Map<string, string>();
  private server?: http.Server;
  private ts = 1_700_000_000;

  constructor(private readonly token: string) {}

  /** Listens on 127.0.0.1, on the first free port of `ports`. */
  async start(ports: number[]): Promise<string> {
    for (const port of ports) {
      const server = http.createServer((req, res) => this.handle(req, res));
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => resolve());
        });
        this.server = server;
        return `http://127.0.0.1:${
          (server.address() as AddressInfo).port
        }/api/`;
      } catch {
        continue;
      }
    }
    throw new Error(`No free port among ${ports.join(', ')}`);
  }

  async stop(): Promise<void> {
    await new Promise(resolve => this.server?.close(resolve));
  }

  of(method: string): SlackCall[] {
    return this.calls.filter(c => c.method === method);
  }

  force(method: string, ...answers: ForcedAnswer[]): void {
    this.forced.set(method, [...(this.forced.get(method) ?? []), ...answers]);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
      const args: Record<string, any> = {};
      for (const [key, value] of new URLSearchParams(body)) {
        try {
          args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
        } catch {
          args[key] = value;
        }
      }
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const answer = (status: number, json: object, headers = {}) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          ...headers,
        });
        res.end(JSON.stringify(json));
      };
      const forced = this.forced.get(method)?.shift();
      const call: SlackCall = { method, args, token, at: Date.now() };
      this.calls.push(call);
      if (forced) {
        answer(
          forced.status,
          { ok: false, error: 'forced' },
          forced.retryAfter !== undefined
            ? { 'retry-after': String(forced.retryAfter) }
            : {},
        );
        return;
      }
      if (token !== this.token) {
        answer(200, { ok: false, error: 'invalid_auth' });
        return;
      }
      call.result = this.answer(method, args);
      answer(200, call.result);
    });
  }

  private answer(method: string, args: Record<string, any>): object {
    switch (method) {
      case 'chat.postMessage':
        return {
          ok: true,
          channel: `D${String(args.channel).slice(1)}`,
          ts: `${this.ts++}.000100`,
          message: { text: args.text },
        };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${this.ts++}.000200` };
      case 'views.open':
        return { ok: true, view: { id: 'V1' } };
      case 'users.info': {
        const email = this.emails.get(args.user);
        return email
          ? { ok: true, user: { id: args.user, profile: { email } } }
          : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const found = [...this.emails].find(([, e]) => e === args.email);
        return found
          ? { ok: true, user: { id: found[0] } }
          : { ok: false, error: 'users_not_found' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** Signs a body as Slack does: v0={HMAC-SHA256 of v0:{timestamp}:{body}}. */
export function slackSignature(
  secret: string,
  timestamp: number,
  body: string,
): string {
  return `v0=${createHmac('sha256', secret)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex')}`;
}

/** A form body with Slack's `payload` field. */
export function payloadBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
