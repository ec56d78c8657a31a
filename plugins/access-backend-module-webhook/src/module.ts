import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { accessProvisionersExtensionPoint } from '@jit-access/plugin-access-node';
import { readWebhookEndpointsConfig } from './config';
import { createWebhookProvisioner } from './WebhookProvisioner';

/**
 * Adds one provisioner per entry of `access.webhook.endpoints` to the access plugin; the
 * provisioner id is the entry's id. Without that config it adds nothing.
 */
export const accessModuleWebhookProvisioner = createBackendModule({
  pluginId: 'access',
  moduleId: 'webhook-provisioner',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        provisioners: accessProvisionersExtensionPoint,
      },
      async init({ config, logger, provisioners }) {
        const endpoints = readWebhookEndpointsConfig(config);
        if (endpoints.length === 0) {
          return;
        }
        provisioners.addProvisioner(
          ...endpoints.map(endpoint => createWebhookProvisioner(endpoint)),
        );
        logger.info(
          `Webhook provisioners: ${endpoints.map(e => e.id).join(', ')}`,
        );
      },
    });
  },
});
