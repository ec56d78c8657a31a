/*
 * The example portal's config keeps its catalog resources requestable: the trust boundary's
 * default refuses catalog entities, so app-config.yaml must accept the demo's by name.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AccessProvisioner,
  catalogAcceptanceConfigSchema,
} from '@jit-access/plugin-access-node';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { readAccessConfig } from '../config/accessConfig';
import { ResourceCatalog } from './ResourceCatalog';

const ROOT = path.resolve(__dirname, '../../../..');

describe('the demo config', () => {
  it('accepts every demo catalog resource, and nothing else', async () => {
    const appConfig = parse(
      fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
    );
    const entities: Entity[] = parseAllDocuments(
      fs.readFileSync(path.join(ROOT, 'examples/resources.yaml'), 'utf8'),
    )
      .map(doc => doc.toJS())
      .filter(Boolean);
    const access = readAccessConfig(new ConfigReader(appConfig));
    // The manual provisioner as its module builds it from access.manual.accepts (postgres is
    // not installed without app-config.demo-postgres.yaml).
    const manual: AccessProvisioner = {
      id: 'manual',
      serves: {
        catalog: catalogAcceptanceConfigSchema.parse(
          appConfig.access.manual.accepts,
        ),
      },
      grant: async () => {},
      revoke: async () => {},
    };
    const planted: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'planted',
        annotations: {
          'jit-access.io/integration': 'manual',
          'jit-access.io/permissions': 'admin',
        },
      },
      spec: { type: 'app', owner: 'group:platform' },
    };
    const catalog = new ResourceCatalog({
      catalog: catalogServiceMock({ entities: [...entities, planted] }),
      auth: mockServices.auth(),
      configResources: access.resources,
      provisioners: new Map([['manual', manual]]),
      trust: access.trust,
    });

    expect((await catalog.list()).map(r => [r.ref, r.source])).toEqual([
      ['resource:default/admin-console', 'catalog'],
      ['resource:default/analytics-warehouse', 'catalog'],
      ['resource:default/aws-prod-admin', 'config'],
      ['resource:default/demo-sandbox', 'config'],
      ['resource:default/payments-db', 'catalog'],
      ['resource:default/staging-cluster', 'catalog'],
    ]);
    expect(
      (await catalog.unrequestable({ limit: 10 })).items.map(r => r.ref),
    ).toEqual(['resource:default/planted']);
    // The automatic flow matches only the config sandbox, as before.
    expect(
      access.flows
        .filter(flow => flow.approval.stages.length === 0)
        .map(flow => [flow.id, flow.allowCatalogResources]),
    ).toEqual([['self-service', undefined]]);
  });
});
