import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { captureAccessProvisioners } from '@jit-access/plugin-access-node/testUtils';
import manualModule, { accessModuleManualProvisioner } from './index';

const target = {
  grantId: '0b6f3c7e-2f4e-4b39-9d0e-1c1b3f0a9e55',
  requestId: '5d1d2c9a-8d8e-4a57-a0a5-3e6f1f0c2b7d',
  resourceRef: 'resource:default/payroll',
  permission: 'edit',
  granteeRef: 'user:default/dana',
  startsAt: '2025-06-01T09:00:00.000Z',
  endsAt: '2025-06-01T13:00:00.000Z',
};

function context() {
  return {
    signal: new AbortController().signal,
    logger: mockServices.logger.mock(),
    idempotencyKey: 'k',
  };
}

describe('accessModuleManualProvisioner', () => {
  it('is the default export', () => {
    expect(manualModule).toBe(accessModuleManualProvisioner);
  });

  it('adds the provisioner with the id manual and default instructions without config', async () => {
    const { plugin, provisioners } = captureAccessProvisioners();
    const backend = await startTestBackend({
      features: [
        plugin,
        manualModule,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    await backend.stop();

    expect(provisioners.map(p => p.id)).toEqual(['manual']);
    expect(provisioners[0].overlap).toBe('shared');
    // Without accepts it takes no catalog entity: only resources from the access config.
    expect(provisioners[0].serves).toBeUndefined();
    await expect(provisioners[0].grant(target, context())).resolves.toEqual({
      fulfilment: {
        instructions:
          'Give user:default/dana edit access to resource:default/payroll until 2025-06-01T13:00:00.000Z.',
      },
    });
  });

  it('adds the provisioner as configured', async () => {
    const { plugin, provisioners } = captureAccessProvisioners();
    const backend = await startTestBackend({
      features: [
        plugin,
        manualModule,
        mockServices.rootConfig.factory({
          data: {
            access: {
              manual: {
                id: 'by-hand',
                resources: [
                  {
                    resource: 'payroll',
                    revoke: 'Payroll: take {permission} away from {grantee}',
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    await backend.stop();

    expect(provisioners.map(p => p.id)).toEqual(['by-hand']);
    await expect(provisioners[0].revoke(target, context())).resolves.toEqual({
      fulfilment: {
        instructions: 'Payroll: take edit away from user:default/dana',
      },
    });
  });

  it('accepts the catalog entities its config names: accepts, and the resources with instructions', async () => {
    const { plugin, provisioners } = captureAccessProvisioners();
    const backend = await startTestBackend({
      features: [
        plugin,
        manualModule,
        mockServices.rootConfig.factory({
          data: {
            access: {
              manual: {
                accepts: {
                  refs: ['staging-cluster', 'resource:it/*'],
                  namespaces: ['Platform'],
                  types: ['kubernetes-cluster', 'app'],
                },
                resources: [{ resource: 'payroll', grant: 'Add {grantee}' }],
              },
            },
          },
        }),
      ],
    });
    await backend.stop();

    expect(provisioners[0].serves).toEqual({
      catalog: {
        resourceRefs: [
          'resource:default/staging-cluster',
          'resource:it/*',
          'resource:default/payroll',
        ],
        namespaces: ['platform'],
        resourceTypes: ['kubernetes-cluster', 'app'],
      },
    });
  });

  it('refuses accepts that would take any entity of a type', async () => {
    const { plugin } = captureAccessProvisioners();
    await expect(
      startTestBackend({
        features: [
          plugin,
          manualModule,
          mockServices.rootConfig.factory({
            data: { access: { manual: { accepts: { types: ['database'] } } } },
          }),
        ],
      }),
    ).rejects.toThrow(
      'access.manual.accepts: must name refs or namespaces: an entity chooses its own type',
    );
  });

  it('fails startup on invalid config, naming the field', async () => {
    const { plugin } = captureAccessProvisioners();
    await expect(
      startTestBackend({
        features: [
          plugin,
          manualModule,
          mockServices.rootConfig.factory({
            data: {
              access: {
                manual: {
                  resources: [{ resource: 'not a ref', grant: 'Add {who}' }],
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      "access.manual.resources[0].resource: 'not a ref' is not an entity ref",
    );
  });
});
