import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { captureAccessProvisioners } from '@jit-access/plugin-access-node/testUtils';
import webhookModule from './index';

describe('accessModuleWebhookProvisioner', () => {
  it('adds one provisioner per endpoint', async () => {
    const { plugin, provisioners: captured } = captureAccessProvisioners();
    const backend = await startTestBackend({
      features: [
        plugin,
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
                    accepts: {
                      refs: ['resource:iam/prod-*', 'audit-role'],
                      namespaces: ['IAM'],
                      types: ['cloud-role'],
                    },
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
    // Only what its config accepts may come from the catalog; without accepts, nothing.
    expect(captured[0].serves).toBeUndefined();
    expect(captured[1].serves).toEqual({
      catalog: {
        resourceRefs: ['resource:iam/prod-*', 'resource:default/audit-role'],
        namespaces: ['iam'],
        resourceTypes: ['cloud-role'],
      },
    });
  });

  it('adds nothing without config', async () => {
    const { plugin, provisioners: captured } = captureAccessProvisioners();
    const backend = await startTestBackend({
      features: [
        plugin,
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
          captureAccessProvisioners().plugin,
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
    await expect(
      startTestBackend({
        features: [
          captureAccessProvisioners().plugin,
          webhookModule,
          mockServices.rootConfig.factory({
            data: {
              access: {
                webhook: {
                  endpoints: [
                    {
                      id: 'x',
                      url: 'https://hooks.example.com',
                      secret: 'a',
                      accepts: { types: ['group'] },
                    },
                  ],
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      'access.webhook.endpoints[0].accepts: must name refs or namespaces',
    );
  });
});
