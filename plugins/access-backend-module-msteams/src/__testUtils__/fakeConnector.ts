/**
 * A local stand-in for the Bot Connector service Teams exposes to bots (the `serviceUrl`), on
 * 127.0.0.1 over https. It accepts only bearer tokens the fake authority issued to the bot, and
 * records the conversations created, the activities sent and the activities updated. Members
 * answer with an e-mail, as Teams' `GET .../members/{id}` does.
 */
import https from 'https';
import { AddressInfo } from 'net';
import { LocalCertificate } from './localTls';

export interface RecordedConversation {
  id: string;
  body: any;
}

export interface RecordedActivity {
  conversationId: string;
  activityId: string;
  body: any;
}

export interface FakeConnector {
  /** `https://127.0.0.1:<port>/teams/`: the `serviceUrl`. */
  url: string;
  conversations: RecordedConversation[];
  sent: RecordedActivity[];
  updated: RecordedActivity[];
  /** Requests refused for a missing or foreign bearer token. */
  unauthorized: number;
  /** Members by Teams user id, for `GET /v3/conversations/{id}/members/{userId}`. */
  members: Map<string, { email?: string; userPrincipalName?: string }>;
  /** The next n requests fail with this status (and `Retry-After` on 429). */
  failNext(status: number, times?: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

export async function startFakeConnector(options: {
  certificate: LocalCertificate;
  verifyBotToken(token: string): Promise<boolean>;
}): Promise<FakeConnector> {
  const conversations: RecordedConversation[] = [];
  const sent: RecordedActivity[] = [];
  const updated: RecordedActivity[] = [];
  const members = new Map<
    string,
    { email?: string; userPrincipalName?: string }
  >();
  let unauthorized = 0;
  let failures:
    | { status: number; times: number; retryAfter?: number }
    | undefined;
  let counter = 0;

  const server = https.createServer(
    { key: options.certificate.key, cert: options.certificate.cert },
    (req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', chunk => {
        raw += chunk;
      });
      req.on('end', async () => {
        const reply = (status: number, body: unknown, headers = {}) => {
          res.writeHead(status, {
            'content-type': 'application/json',
            ...headers,
          });
          res.end(JSON.stringify(body));
        };
        const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
        if (!auth || !(await options.verifyBotToken(auth[1]))) {
          unauthorized += 1;
          reply(401, { error: { code: 'Unauthorized' } });
          return;
        }
        if (failures && failures.times > 0) {
          failures.times -= 1;
          reply(
            failures.status,
            { error: { code: 'Failure', message: `fake ${failures.status}` } },
            failures.retryAfter !== undefined
              ? { 'retry-after': String(failures.retryAfter) }
              : {},
          );
          return;
        }
        const path = new URL(
          req.url ?? '/',
          'https://connector',
        ).pathname.replace(/^\/teams/, '');
        const body = raw ? JSON.parse(raw) : undefined;
        const conversationsPost = /^\/v3\/conversations$/;
        const activityPost =
          /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/;
        const activityPut =
          /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/;
        const memberGet = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/;
        const posted = req.method === 'POST' ? activityPost.exec(path) : null;
        const put = req.method === 'PUT' ? activityPut.exec(path) : null;
        const member = req.method === 'GET' ? memberGet.exec(path) : null;
        if (req.method === 'POST' && conversationsPost.test(path)) {
          counter += 1;
          const id = `a:conversation-${counter}`;
          conversations.push({ id, body });
          reply(201, { id });
        } else if (posted) {
          counter += 1;
          const activityId = `1:activity-${counter}`;
          sent.push({
            conversationId: decodeURIComponent(posted[1]),
            activityId,
            body,
          });
          reply(201, { id: activityId });
        } else if (put) {
          const activityId = decodeURIComponent(put[2]);
          updated.push({
            conversationId: decodeURIComponent(put[1]),
            activityId,
            body,
          });
          reply(200, { id: activityId });
        } else if (member) {
          const id = decodeURIComponent(member[2]);
          const known = members.get(id);
          if (known) {
            reply(200, { id, ...known });
          } else {
            reply(404, { error: { code: 'MemberNotFoundInConversation' } });
          }
        } else {
          reply(404, {
            error: { code: 'NotFound', message: `${req.method} ${path}` },
          });
        }
      });
    },
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/teams/`;
  return {
    url,
    conversations,
    sent,
    updated,
    members,
    get unauthorized() {
      return unauthorized;
    },
    failNext(status, times = 1, retryAfterSeconds) {
      failures = { status, times, retryAfter: retryAfterSeconds };
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
