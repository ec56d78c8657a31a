import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
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
