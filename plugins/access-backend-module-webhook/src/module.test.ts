import {
  createBackendPlugin,
  coreServices,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AccessProvisioner,
  accessProvisionersExtensionPoint,
} from '@jit-access/plugin-access-node';
import webhookModule from './index';

function capturingAccessPlugin(captured: AccessProvisioner[]) {
  return createBackendPlugin({
    pluginId: 'access',
    register(env) {
      env.registerExtensionPoint(accessProvisionersExtensionPoint, {
        addProvisioner(...provisioners) {
          captured.push(...provisioners);
        },
      });
      env.registerInit({
        deps: { logger: coreServices.logger },
        async init() {},
      });
    },
  });
}

describe('accessModuleWebhookProvisioner', () => {
  it('adds one provisioner per endpoint', async () => {
    const captured: AccessProvisioner[] = [];
    const backend = await startTestBackend({
      features: [
        capturingAccessPlugin(captured),
        webhookModule,
        mockServices.rootConfig.factory({
          data: {
            access: {
              webhook: {
                endpoints: [
                  {
                    id: 'groups',
                    title: 'Directory groups',
                    url: 'https://hooks.example.com/groups',
                    secret: 'a',
                  },
                  {
                    id: 'roles',
                    url: 'https://hooks.example.com/roles',
                    secret: 'b',
                    observeUrl: 'https://hooks.example.com/roles/observe',
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    await backend.stop();

    expect(captured.map(p => p.id)).toEqual(['groups', 'roles']);
    expect(captured[0].title).toBe('Directory groups');
    expect(captured[0].observe).toBeUndefined();
    expect(typeof captured[1].observe).toBe('function');
    expect(captured.every(p => p.overlap === 'shared')).toBe(true);
  });

  it('adds nothing without config', async () => {
    const captured: AccessProvisioner[] = [];
    const backend = await startTestBackend({
      features: [
        capturingAccessPlugin(captured),
        webhookModule,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    await backend.stop();
    expect(captured).toEqual([]);
  });

  it('fails startup on invalid config, naming the field', async () => {
    await expect(
      startTestBackend({
        features: [
          capturingAccessPlugin([]),
          webhookModule,
          mockServices.rootConfig.factory({
            data: {
              access: {
                webhook: {
                  endpoints: [{ id: 'x', url: 'nope', secret: 'a' }],
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow("access.webhook.endpoints[0].url: Invalid URL 'nope'");
  });
});
