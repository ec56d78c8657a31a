/**
 * A local stand-in for the Microsoft identity platform, on 127.0.0.1 over https: the OpenID
 * configuration and JWKS of a tenant (one RSA key made at start), the instance discovery MSAL asks
 * for, and the token endpoint that issues the bot's own outbound token for its client id and
 * secret. It also signs the tokens Azure Bot Service would put on the activities it posts to the
 * bot, so the tests can post them to the real endpoint.
 */
import { randomUUID, generateKeyPairSync, KeyObject } from 'crypto';
import https from 'https';
import { AddressInfo } from 'net';
import jwt from 'jsonwebtoken';
import { LocalCertificate } from './localTls';

export interface FakeAuthorityOptions {
  certificate: LocalCertificate;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface IssuedToken {
  clientId: string;
  scope: string;
  token: string;
}

export interface ActivityTokenOptions {
  /** Default: the bot's client id. */
  audience?: string;
  /** Default: the tenant's v2.0 issuer at this authority. */
  issuer?: string;
  /** Seconds from now; negative for an expired token. Default 600. */
  expiresIn?: number;
  /** Another key than the authority's (same kid), for a forged token. */
  signingKey?: KeyObject;
  /** The `serviceurl` claim Azure Bot Service adds. */
  serviceUrl?: string;
}

export interface FakeAuthority {
  /** `https://127.0.0.1:<port>`: the `authorityEndpoint` to configure. */
  url: string;
  /** The tenant's v2.0 issuer, one of the SDK's default issuers for this authority. */
  issuer: string;
  issued: IssuedToken[];
  /** Token requests refused (wrong secret, wrong grant). */
  refused: number;
  signActivityToken(options?: ActivityTokenOptions): Promise<string>;
  /** Whether a bearer token is one this authority issued to the bot (for the fake connector). */
  verifyBotToken(token: string): Promise<boolean>;
  close(): Promise<void>;
}

const KID = 'fake-authority-key-1';

function json(
  res: import('http').ServerResponse,
  status: number,
  body: unknown,
) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: import('http').IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

export async function startFakeAuthority(
  options: FakeAuthorityOptions,
): Promise<FakeAuthority> {
  const { tenantId, clientId, clientSecret } = options;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const publicJwk = {
    ...publicKey.export({ format: 'jwk' }),
    kid: KID,
    use: 'sig',
    alg: 'RS256',
  };
  const jwks = { keys: [publicJwk] };
  const issued: IssuedToken[] = [];
  let refused = 0;
  let base = '';

  const server = https.createServer(
    { key: options.certificate.key, cert: options.certificate.cert },
    async (req, res) => {
      const url = new URL(req.url ?? '/', base);
      const path = url.pathname;
      const host = new URL(base).host;
      if (req.method === 'GET' && path === '/common/discovery/instance') {
        json(res, 200, {
          tenant_discovery_endpoint: `${base}/${tenantId}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [
            { preferred_network: host, preferred_cache: host, aliases: [host] },
          ],
        });
        return;
      }
      if (
        req.method === 'GET' &&
        path === `/${tenantId}/v2.0/.well-known/openid-configuration`
      ) {
        json(res, 200, {
          issuer: `${base}/${tenantId}/v2.0`,
          authorization_endpoint: `${base}/${tenantId}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/${tenantId}/oauth2/v2.0/token`,
          end_session_endpoint: `${base}/${tenantId}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/${tenantId}/discovery/v2.0/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        });
        return;
      }
      if (req.method === 'GET' && path === `/${tenantId}/discovery/v2.0/keys`) {
        json(res, 200, jwks);
        return;
      }
      if (req.method === 'POST' && path === `/${tenantId}/oauth2/v2.0/token`) {
        const form = new URLSearchParams(await readBody(req));
        if (
          form.get('grant_type') !== 'client_credentials' ||
          form.get('client_id') !== clientId ||
          form.get('client_secret') !== clientSecret
        ) {
          refused += 1;
          json(res, 401, {
            error: 'invalid_client',
            error_description: 'AADSTS7000215: Invalid client secret provided.',
          });
          return;
        }
        const scope = form.get('scope') ?? '';
        const audience = scope.split(' ')[0].replace(/\/\.default$/, '');
        const token = jwt.sign({ appid: clientId, tid: tenantId }, privateKey, {
          algorithm: 'RS256',
          keyid: KID,
          issuer: `${base}/${tenantId}/v2.0`,
          audience,
          expiresIn: 3600,
        });
        issued.push({ clientId, scope, token });
        json(res, 200, {
          token_type: 'Bearer',
          expires_in: 3600,
          ext_expires_in: 3600,
          access_token: token,
        });
        return;
      }
      json(res, 404, { error: 'not_found', path });
    },
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/${tenantId}/v2.0`;

  return {
    url: base,
    issuer,
    issued,
    get refused() {
      return refused;
    },
    async signActivityToken(tokenOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      return jwt.sign(
        {
          tid: tenantId,
          ...(tokenOptions.serviceUrl && {
            serviceurl: tokenOptions.serviceUrl,
          }),
          iat: now - 60,
          nbf: now - 60,
          exp: now + (tokenOptions.expiresIn ?? 600),
          jti: randomUUID(),
        },
        tokenOptions.signingKey ?? privateKey,
        {
          algorithm: 'RS256',
          keyid: KID,
          issuer: tokenOptions.issuer ?? issuer,
          audience: tokenOptions.audience ?? clientId,
        },
      );
    },
    async verifyBotToken(token) {
      try {
        jwt.verify(token, publicKey, {
          algorithms: ['RS256'],
          issuer,
          audience: 'https://api.botframework.com',
        });
        return true;
      } catch {
        return false;
      }
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
