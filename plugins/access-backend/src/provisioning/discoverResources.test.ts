import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AccessProvisioner } from '@jit-access/plugin-access-node';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { discoverResources } from './discoverResources';
import { ProvisionerGateway } from './ProvisionerGateway';

const logger = mockServices.rootLogger({ level: 'none' });

function provisioner(
  id: string,
  discover?: AccessProvisioner['discover'],
): AccessProvisioner {
  return { id, grant: async () => {}, revoke: async () => {}, discover };
}

const gatewayTo = (provisioners: AccessProvisioner[]) =>
  new ProvisionerGateway({
    provisioners: new Map(provisioners.map(p => [p.id, p])),
    logger,
    callTimeoutMs: 60_000,
  });

describe('discoverResources', () => {
  it('offers what provisioners discover, granted through them, below config and catalog', async () => {
    const discovered = await discoverResources(
      gatewayTo([
        provisioner('ldap', async () => [
          {
            ref: 'payroll-app',
            title: 'Payroll',
            type: 'app',
            permissions: ['user', 'admin'],
            owners: ['finance'],
          },
          {
            ref: 'admin-console',
            title: 'Shadowed',
            type: 'app',
            permissions: ['x'],
          },
          {
            ref: 'empty',
            title: 'Nothing to ask for',
            type: 'app',
            permissions: [],
          },
        ]),
        provisioner('broken', async () => {
          throw new Error('directory unreachable');
        }),
        provisioner('plain'),
      ]),
      logger,
    );
    expect(discovered.map(r => r.ref)).toEqual([
      'resource:default/payroll-app',
      'resource:default/admin-console',
    ]);
    expect(discovered[0]).toEqual({
      ref: 'resource:default/payroll-app',
      title: 'Payroll',
      type: 'app',
      integration: 'ldap',
      permissions: ['user', 'admin'],
      owners: ['group:default/finance'],
      tags: [],
      source: 'provisioner',
    });

    const catalog = new ResourceCatalog({
      catalog: catalogServiceMock({ entities: [] }),
      auth: mockServices.auth(),
      configResources: [
        {
          ref: 'resource:default/admin-console',
          title: 'Admin console',
          type: 'app',
          integration: 'manual',
          permissions: ['user'],
          owners: ['group:default/security'],
          tags: [],
          source: 'config',
        },
      ],
    });
    catalog.setDiscovered(discovered);
    const all = await catalog.list();
    expect(all.map(r => [r.ref, r.source])).toEqual([
      ['resource:default/admin-console', 'config'],
      ['resource:default/payroll-app', 'provisioner'],
    ]);
    const byRef = await catalog.getByRefs([
      'resource:default/payroll-app',
      'resource:default/unknown',
    ]);
    expect([...byRef.keys()]).toEqual(['resource:default/payroll-app']);
  });
});
