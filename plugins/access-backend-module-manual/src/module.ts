import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { accessProvisionersExtensionPoint } from '@jit-access/plugin-access-node';
import { readManualProvisionerConfig } from './config';
import { createManualProvisioner } from './provisioner';

/**
 * Adds the manual provisioner to the access plugin: grants and revocations of resources with its
 * id as integration become fulfilment tasks for the resource owners. Without `access.manual` it
 * is added with the id `manual` and the default instructions.
 */
export const accessModuleManualProvisioner = createBackendModule({
  pluginId: 'access',
  moduleId: 'manual-provisioner',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        provisioners: accessProvisionersExtensionPoint,
      },
      async init({ config, logger, provisioners }) {
        const manualConfig = readManualProvisionerConfig(config);
        provisioners.addProvisioner(createManualProvisioner(manualConfig));
        const own = manualConfig.resources.length;
        logger.info(
          `Manual provisioner '${manualConfig.id}' added${
            own ? ` (${own} resource(s) with instructions of their own)` : ''
          }`,
        );
      },
    });
  },
});
