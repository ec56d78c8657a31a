/**
 * Test helpers for provisioner modules.
 *
 * @packageDocumentation
 */
import {
  BackendFeature,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { accessProvisionersExtensionPoint } from './extensions';
// The package's own main entry point, so that this entry point's types name its AccessProvisioner.
import type { AccessProvisioner } from '@jit-access/plugin-access-node';

/**
 * Stands in for the access backend in a module's test backend: registers only the provisioners
 * extension point and keeps what modules add to it.
 */
export function captureAccessProvisioners(): {
  plugin: BackendFeature;
  provisioners: AccessProvisioner[];
} {
  const provisioners: AccessProvisioner[] = [];
  const plugin = createBackendPlugin({
    pluginId: 'access',
    register(env) {
      env.registerExtensionPoint(accessProvisionersExtensionPoint, {
        addProvisioner(...added) {
          provisioners.push(...added);
        },
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  return { plugin, provisioners };
}
