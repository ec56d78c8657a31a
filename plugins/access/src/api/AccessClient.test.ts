import { AccessClient } from './AccessClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
};

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** A client over a fetch mock that answers `answer` and records every call. */
function clientAnswering(answer: () => Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => answer());
  const client = new AccessClient({
    discoveryApi,
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  const call = (n = 0) => {
    const [url, init] = fetch.mock.calls[n];
    return {
      url,
      method: init?.method ?? 'GET',
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
  };
  /** The channel header of call `n`: what the backend records the change as made through. */
  const channel = (n = 0) =>
    new Headers(fetch.mock.calls[n][1]?.headers).get('x-access-channel');
  return { client, fetch, call, channel };
}

describe('AccessClient', () => {
  it('calls the access plugin through discovery and the authenticated fetch', async () => {
    const { client, fetch } = clientAnswering(() =>
      json({ userEntityRef: 'user:default/dana', ownershipEntityRefs: [] }),
    );

    await expect(client.getCaller()).resolves.toEqual({
      userEntityRef: 'user:default/dana',
      ownershipEntityRefs: [],
    });
    expect(fetch).toHaveBeenCalledWith('http://backend/api/access/me');
  });

  it('turns an error answer into a ResponseError carrying the status', async () => {
    const { client } = clientAnswering(() =>
      json(
        {
          error: {
            name: 'AuthenticationError',
            message: 'Missing credentials',
          },
        },
        401,
      ),
    );

    await expect(client.getCaller()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 401,
    });
  });

  it('keeps the message of a conflict, for the screens to show', async () => {
    const { client } = clientAnswering(() =>
      json(
        {
          error: {
            name: 'ConflictError',
            message: 'The request is granting; decided by user:default/lee',
          },
          response: { statusCode: 409 },
        },
        409,
      ),
    );

    await expect(client.approveRequest('r1')).rejects.toMatchObject({
      statusCode: 409,
      body: {
        error: {
          message: 'The request is granting; decided by user:default/lee',
        },
      },
    });
  });

  it('passes list filters as query parameters, statuses comma-separated and blanks left out', async () => {
    const { client, call } = clientAnswering(() => json({ items: [] }));

    await client.listRequests({
      view: 'delegated',
      status: ['active', 'pending_approval'],
      limit: 20,
      cursor: 'abc=',
    });
    await client.listResources({ q: '', type: 'database', permission: 'read' });
    await client.getInbox({ state: 'decided' });
    await client.listTasks({ state: 'open', limit: 10 });
    await client.listReconciliationFindings({ cursor: 'c2' });
    await client.listRequests();

    expect(call(0).url).toBe(
      'http://backend/api/access/requests?view=delegated&limit=20&cursor=abc%3D&status=active%2Cpending_approval',
    );
    expect(call(1).url).toBe(
      'http://backend/api/access/resources?type=database&permission=read',
    );
    expect(call(2).url).toBe('http://backend/api/access/inbox?state=decided');
    expect(call(3).url).toBe(
      'http://backend/api/access/tasks?state=open&limit=10',
    );
    expect(call(4).url).toBe(
      'http://backend/api/access/admin/reconciliation?cursor=c2',
    );
    expect(call(5).url).toBe('http://backend/api/access/requests');
  });

  it.each([
    [
      'approve',
      (c: AccessClient) => c.approveRequest('r1', 'ok'),
      '/requests/r1/approve',
      { reason: 'ok' },
    ],
    [
      'reject',
      (c: AccessClient) => c.rejectRequest('r1', 'no'),
      '/requests/r1/reject',
      { reason: 'no' },
    ],
    [
      'cancel',
      (c: AccessClient) => c.cancelRequest('r1'),
      '/requests/r1/cancel',
      {},
    ],
    [
      'revoke',
      (c: AccessClient) => c.revokeRequest('r1', 'done'),
      '/requests/r1/revoke',
      { reason: 'done' },
    ],
    [
      'extend',
      (c: AccessClient) =>
        c.extendRequest('r1', { duration: 'PT1H', justification: 'more' }),
      '/requests/r1/extend',
      { duration: 'PT1H', justification: 'more' },
    ],
    [
      'request again',
      (c: AccessClient) => c.requestAgain('r1', { justification: 'again' }),
      '/requests/r1/request-again',
      { justification: 'again' },
    ],
    [
      'reveal',
      (c: AccessClient) => c.revealCredentials('g/1'),
      '/grants/g%2F1/credentials/reveal',
      {},
    ],
    [
      'reset',
      (c: AccessClient) => c.resetCredentials('g1'),
      '/grants/g1/credentials/reset',
      {},
    ],
    [
      'complete a task',
      (c: AccessClient) => c.completeTask('t1', 'granted in the console'),
      '/tasks/t1/complete',
      { note: 'granted in the console' },
    ],
    [
      'save a favorite',
      (c: AccessClient) => c.saveFavorite('r1'),
      '/favorites',
      { requestId: 'r1' },
    ],
    [
      'request a favorite',
      (c: AccessClient) => c.requestFavorite('f1', { justification: 'j' }),
      '/favorites/f1/request',
      { justification: 'j' },
    ],
    [
      'match flows',
      (c: AccessClient) =>
        c.matchFlows([
          { resourceRef: 'resource:default/db', permission: 'read' },
        ]),
      '/flows/match',
      { items: [{ resourceRef: 'resource:default/db', permission: 'read' }] },
    ],
    [
      'score a justification',
      (c: AccessClient) => c.scoreJustification('fix bug', { id: 'OPS-1' }),
      '/justification/feedback',
      { text: 'fix bug', ticket: { id: 'OPS-1' } },
    ],
    [
      'submit',
      (c: AccessClient) =>
        c.submitRequest({ bundle: { id: 'oncall' }, duration: 'PT4H' }),
      '/requests',
      { bundle: { id: 'oncall' }, duration: 'PT4H' },
    ],
  ])('%s posts JSON to the right route', async (_name, act, path, body) => {
    const { client, call, channel } = clientAnswering(() => json({}));

    await act(client);

    expect(call()).toEqual({
      url: `http://backend/api/access${path}`,
      method: 'POST',
      body,
    });
    expect(channel()).toBe('portal');
  });

  it('asks for suggestions for a need in words', async () => {
    const { client, call } = clientAnswering(() =>
      json({
        items: [
          {
            kind: 'resource',
            resourceRef: 'resource:default/payments-db',
            title: 'Payments database',
            permission: 'read',
            requiresApproval: true,
            score: 9,
            reasons: ['“payments” is in its title'],
          },
        ],
      }),
    );

    const answer = await client.suggestAccess({
      q: 'read the payments db',
      limit: 5,
    });

    expect(answer.items[0].resourceRef).toBe('resource:default/payments-db');
    expect(call().url).toBe(
      'http://backend/api/access/suggestions?q=read+the+payments+db&limit=5',
    );
  });

  it('deletes a favorite without reading a body', async () => {
    const { client, call, channel } = clientAnswering(
      () => new Response(null, { status: 204 }),
    );

    await expect(client.deleteFavorite('f1')).resolves.toBeUndefined();
    expect(call()).toMatchObject({
      url: 'http://backend/api/access/favorites/f1',
      method: 'DELETE',
    });
    expect(channel()).toBe('portal');
  });

  it('reads the audit verification of admins', async () => {
    const { client, call } = clientAnswering(() =>
      json({ ok: false, checked: 3, brokenAt: 3, problem: 'hash mismatch' }),
    );

    await expect(client.verifyAuditChain()).resolves.toMatchObject({
      ok: false,
      brokenAt: 3,
    });
    expect(call().url).toBe('http://backend/api/access/admin/audit/verify');
  });

  it('lists failed chat deliveries and sends one again', async () => {
    const { client, call, channel } = clientAnswering(() =>
      json({ items: [], channels: ['slack'] }),
    );

    await expect(
      client.listChatDeliveries({ state: 'failed', limit: 25, cursor: 'c2' }),
    ).resolves.toEqual({ items: [], channels: ['slack'] });
    await client.retryChatDelivery('d/1');

    expect(call(0).url).toBe(
      'http://backend/api/access/admin/chat/deliveries?state=failed&limit=25&cursor=c2',
    );
    expect(call(1)).toEqual({
      url: 'http://backend/api/access/admin/chat/deliveries/d%2F1/retry',
      method: 'POST',
      body: {},
    });
    expect(channel(1)).toBe('portal');
  });
});
