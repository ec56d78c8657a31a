import { AccessClient } from './AccessClient';

describe('AccessClient', () => {
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
  };

  it('calls the access plugin through discovery and the authenticated fetch', async () => {
    const fetch = jest.fn(
      async (_url: string) =>
        new Response(
          JSON.stringify({
            userEntityRef: 'user:default/dana',
            ownershipEntityRefs: [],
          }),
          {
            status: 200,
            headers: { 'content-type': 'application/json' },
          },
        ),
    );
    const client = new AccessClient({
      discoveryApi,
      fetchApi: { fetch } as any,
    });

    await expect(client.getCaller()).resolves.toEqual({
      userEntityRef: 'user:default/dana',
      ownershipEntityRefs: [],
    });
    expect(fetch).toHaveBeenCalledWith('http://backend/api/access/me');
  });

  it('turns an error answer into a ResponseError carrying the status', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'AuthenticationError',
              message: 'Missing credentials',
            },
          }),
          {
            status: 401,
            statusText: 'Unauthorized',
            headers: { 'content-type': 'application/json' },
          },
        ),
    );
    const client = new AccessClient({
      discoveryApi,
      fetchApi: { fetch } as any,
    });

    await expect(client.getCaller()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 401,
    });
  });
});
