import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { accessPlugin } from './plugin';

interface HealthAnswer {
  status: number;
  message?: string;
}

/**
 * A plugin that refuses to start, as the demo sign-in does outside development, but only after
 * it has watched /api/access/health answer from the access plugin's own router (requests that
 * Backstage holds until the access plugin is up time out after a second and are not counted).
 */
function pluginThatRefusesAfterWatching(answers: HealthAnswer[]) {
  return createBackendPlugin({
    pluginId: 'refuses',
    register(env) {
      env.registerInit({
        deps: { discovery: coreServices.discovery },
        async init({ discovery }) {
          const url = `${await discovery.getBaseUrl('access')}/health`;
          const deadline = Date.now() + 20_000;
          while (Date.now() < deadline) {
            const res = await fetch(url, {
              signal: AbortSignal.timeout(1_000),
            }).catch(() => undefined);
            if (res && res.status !== 404) {
              const body = await res.json();
              answers.push({
                status: res.status,
                message: body.error?.message,
              });
              if (answers.length >= 3) {
                break;
              }
            }
            await new Promise(resolve => setTimeout(resolve, 50));
          }
          throw new Error('This plugin refuses to start');
        },
      });
    },
  });
}

describe('a backend whose start is refused', () => {
  it('never answers 200 on /api/access/health, though the access plugin itself started', async () => {
    const answers: HealthAnswer[] = [];

    await expect(
      startTestBackend({
        features: [accessPlugin, pluginThatRefusesAfterWatching(answers)],
      }),
    ).rejects.toThrow(/This plugin refuses to start/);

    expect(answers).toHaveLength(3);
    expect(answers).toEqual(
      Array(3).fill({
        status: 503,
        message: 'The backend has not finished starting',
      }),
    );
  });
});

/** Sets NODE_ENV for this process; undefined removes it (assigning undefined would set "undefined"). */
function setNodeEnv(value: string | undefined) {
  if (value === undefined) {
    delete process.env.NODE_ENV;
  } else {
    process.env.NODE_ENV = value;
  }
}

/** The access plugin alone, with the audit chain key production needs and `access` on top. */
async function startAccess(access: object) {
  return startTestBackend({
    features: [
      accessPlugin,
      mockServices.rootConfig.factory({
        data: {
          access: {
            audit: { chainKey: 'a test chain key of at least 32 characters' },
            ...access,
          },
        },
      }),
    ],
  });
}

describe('the credentials key', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    setNodeEnv(nodeEnv);
  });

  // With a key per process, a reveal on another instance (or after a restart) cannot open what
  // this one sealed: outside development the plugin does not run like that.
  it.each([
    ['unset', undefined, { enabled: true }],
    ['staging', 'staging', { enabled: true }],
    ['production', 'production', { enabled: true }],
    ['production, engine off', 'production', { enabled: false }],
  ])(
    'is required with NODE_ENV %s: the plugin refuses to start without one',
    async (_label, value, engine) => {
      setNodeEnv(value);
      await expect(startAccess({ engine })).rejects.toThrow(
        /access\.credentials\.encryptionKey: Required when NODE_ENV is (not set|'staging'|'production') \(only 'development' and 'test' do without\)/,
      );
    },
  );

  it.each(['development', 'test'])(
    'may be left out with NODE_ENV=%s (a random key per process)',
    async value => {
      setNodeEnv(value);
      const { server } = await startAccess({});
      expect((await request(server).get('/api/access/health')).status).toBe(
        200,
      );
    },
  );

  it('may be left out anywhere when dangerouslyAllowEphemeralKey is true', async () => {
    setNodeEnv('production');
    const { server } = await startAccess({
      credentials: { dangerouslyAllowEphemeralKey: true },
    });
    expect((await request(server).get('/api/access/health')).status).toBe(200);
  });

  it('starts with NODE_ENV=production when one is configured', async () => {
    setNodeEnv('production');
    const { server } = await startAccess({
      credentials: {
        encryptionKey: 'a credentials key of at least 32 characters',
      },
    });
    expect((await request(server).get('/api/access/health')).status).toBe(200);
  });
});
