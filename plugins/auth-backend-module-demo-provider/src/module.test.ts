import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { authModuleDemoProvider } from './module';

const org = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'dana', namespace: 'default' },
    spec: {
      profile: { displayName: 'Dana Developer', email: 'dana@example.com' },
      memberOf: ['payments'],
    },
    relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'lee', namespace: 'default' },
    spec: { memberOf: ['team-leads'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/team-leads' }],
  },
];

function jwtPayload(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

async function startAuthBackend(demoConfig: object | undefined) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleDemoProvider,
      catalogServiceMock.factory({ entities: org }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: { providers: demoConfig ? { demo: demoConfig } : {} },
        },
      }),
    ],
  });
  return server;
}

/** Sets NODE_ENV for this process; undefined removes it (assigning undefined would set "undefined"). */
function setNodeEnv(value: string | undefined) {
  if (value === undefined) {
    delete process.env.NODE_ENV;
  } else {
    process.env.NODE_ENV = value;
  }
}

function refreshAs(server: Parameters<typeof request>[0], user: string) {
  return request(server)
    .get(`/api/auth/demo/refresh?user=${user}`)
    .set('X-Requested-With', 'XMLHttpRequest');
}

describe('demo auth provider', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    setNodeEnv(nodeEnv);
  });

  it('issues a token for the catalog user named in ?user=, with their groups', async () => {
    const server = await startAuthBackend({});

    const res = await request(server)
      .get('/api/auth/demo/refresh?user=dana')
      .set('X-Requested-With', 'XMLHttpRequest');

    expect(res.status).toBe(200);
    expect(res.body.profile).toEqual({
      displayName: 'Dana Developer',
      email: 'dana@example.com',
    });
    const { identity, token } = res.body.backstageIdentity;
    expect(identity.type).toBe('user');
    expect(identity.userEntityRef).toBe('user:default/dana');
    expect([...identity.ownershipEntityRefs].sort()).toEqual([
      'group:default/payments',
      'user:default/dana',
    ]);
    const claims = jwtPayload(token);
    expect(claims.sub).toBe('user:default/dana');
  });

  it('accepts the user in a header too, as the sign-in page sends it', async () => {
    const server = await startAuthBackend({});

    const res = await request(server)
      .get('/api/auth/demo/refresh')
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('x-demo-user', 'lee');

    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/lee',
    );
    expect(res.body.profile.displayName).toBe('lee');
  });

  it('says what is wrong with a missing, malformed or unknown user', async () => {
    const server = await startAuthBackend({});
    const refresh = (query: string) =>
      request(server)
        .get(`/api/auth/demo/refresh${query}`)
        .set('X-Requested-With', 'XMLHttpRequest');

    const missing = await refresh('');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/\?user=<name>/);

    const malformed = await refresh('?user=../admin');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/name of a User entity/);

    const unknown = await refresh('?user=nobody');
    expect(unknown.status).toBe(404);
  });

  it('is off unless configured', async () => {
    const server = await startAuthBackend(undefined);

    const res = await request(server)
      .get('/api/auth/demo/refresh?user=dana')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(res.status).toBe(404);
  });

  // Only development and test are safe by default: an unset NODE_ENV, or any other value, is
  // treated as a deployment.
  it.each([
    ['unset', undefined],
    ['staging', 'staging'],
    ['production', 'production'],
    ['prod', 'prod'],
  ])(
    'refuses to start with NODE_ENV %s, so nobody gets a token for anyone',
    async (_label, value) => {
      setNodeEnv(value);
      await expect(startAuthBackend({})).rejects.toThrow(
        /Refusing to start the demo sign-in provider with NODE_ENV[= ].*: anyone could sign in as anyone.*auth\.providers\.demo\.dangerouslyAllowOutsideDevelopment: true/,
      );
    },
  );

  it.each(['development', 'test'])(
    'runs with NODE_ENV=%s without being told to',
    async value => {
      setNodeEnv(value);
      const server = await startAuthBackend({});
      const res = await refreshAs(server, 'dana');
      expect(res.status).toBe(200);
    },
  );

  it.each([
    ['unset', undefined],
    ['staging', 'staging'],
    ['production', 'production'],
  ])(
    'runs with NODE_ENV %s when dangerouslyAllowOutsideDevelopment is true',
    async (_label, value) => {
      setNodeEnv(value);
      const server = await startAuthBackend({
        dangerouslyAllowOutsideDevelopment: true,
      });
      const res = await refreshAs(server, 'dana');
      expect(res.status).toBe(200);
    },
  );

  it('refuses outside development when dangerouslyAllowOutsideDevelopment is false', async () => {
    setNodeEnv('staging');
    await expect(
      startAuthBackend({ dangerouslyAllowOutsideDevelopment: false }),
    ).rejects.toThrow(/Refusing to start the demo sign-in provider/);
  });

  it('still honours the deprecated dangerouslyAllowInProduction, and refuses it beside its replacement', async () => {
    setNodeEnv('production');
    const server = await startAuthBackend({
      dangerouslyAllowInProduction: true,
    });
    const res = await refreshAs(server, 'dana');
    expect(res.status).toBe(200);

    await expect(
      startAuthBackend({
        dangerouslyAllowInProduction: true,
        dangerouslyAllowOutsideDevelopment: false,
      }),
    ).rejects.toThrow(
      /auth\.providers\.demo\.dangerouslyAllowInProduction is the old name of dangerouslyAllowOutsideDevelopment: set only dangerouslyAllowOutsideDevelopment/,
    );
  });
});
