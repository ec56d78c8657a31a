/**
 * TLS for the local fakes. MSAL refuses an authority that is not https, so the fake authority
 * (and, for the same reason, the fake connector) serve https with a certificate made for
 * 127.0.0.1 when the tests start, which this process alone is told to trust.
 *
 * MSAL also asks `login.microsoftonline.com` which hosts are Microsoft's before it uses a custom
 * authority ("instance discovery"); in the tests that host is routed to the fake authority, which
 * answers the same request. Nothing leaves 127.0.0.1.
 */
import https from 'https';
import tls from 'tls';
import selfsigned from 'selfsigned';
import {
  Agent,
  Dispatcher,
  fetch as undiciFetch,
  getGlobalDispatcher,
  setGlobalDispatcher,
} from 'undici';

export interface LocalCertificate {
  key: string;
  cert: string;
}

export function makeLocalCertificate(): LocalCertificate {
  const pems = selfsigned.generate(
    [{ name: 'commonName', value: '127.0.0.1' }],
    {
      days: 1,
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      ],
    },
  );
  return { key: pems.private, cert: pems.cert };
}

/** Sends requests for some origins to others (`https://login.microsoftonline.com` → the fake). */
class RoutingDispatcher extends Dispatcher {
  constructor(
    private readonly agent: Agent,
    private readonly routes: Map<string, string>,
  ) {
    super();
  }

  dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): boolean {
    const origin = String(options.origin ?? '');
    const target = this.routes.get(new URL(origin).origin) ?? origin;
    return this.agent.dispatch({ ...options, origin: target }, handler);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  async destroy(): Promise<void> {
    await this.agent.destroy();
  }
}

/**
 * Trusts the certificate in this process (fetch, and Node's https for the JWKS client) and routes
 * the given origins; returns the undo.
 */
export function trustLocally(
  certificate: LocalCertificate,
  routes: Record<string, string>,
): () => Promise<void> {
  const ca = [...tls.rootCertificates, certificate.cert];
  const previousDispatcher = getGlobalDispatcher();
  const previousFetch = globalThis.fetch;
  const previousAgent = https.globalAgent;
  const dispatcher = new RoutingDispatcher(
    new Agent({ connect: { ca } }),
    new Map(Object.entries(routes)),
  );
  setGlobalDispatcher(dispatcher);
  // Node's built-in fetch reads the dispatcher of its own realm; Jest runs tests in another, so
  // the SDK's fetch is undici's here (the same implementation Node ships).
  globalThis.fetch = undiciFetch as unknown as typeof fetch;
  https.globalAgent = new https.Agent({ ca });
  return async () => {
    setGlobalDispatcher(previousDispatcher);
    globalThis.fetch = previousFetch;
    https.globalAgent = previousAgent;
    await dispatcher.close();
  };
}
