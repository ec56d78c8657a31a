import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  AccessProvisioner,
  accessProvisionersExtensionPoint,
} from '@jit-access/plugin-access-node';
import { AccessStore } from './database/AccessStore';
import { createRouter } from './service/router';

/**
 * The access backend plugin: `/api/access` on the backend.
 *
 * @public
 */
export const accessPlugin = createBackendPlugin({
  pluginId: 'access',
  register(env) {
    const provisioners = new Map<string, AccessProvisioner>();
    env.registerExtensionPoint(accessProvisionersExtensionPoint, {
      addProvisioner(...added) {
        for (const provisioner of added) {
          if (provisioners.has(provisioner.id)) {
            throw new Error(
              `Two access provisioners have the id '${provisioner.id}'; ids must be unique`,
            );
          }
          provisioners.set(provisioner.id, provisioner);
        }
      },
    });

    env.registerInit({
      deps: {
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        userInfo: coreServices.userInfo,
      },
      async init({ database, httpAuth, httpRouter, logger, userInfo }) {
        const store = await AccessStore.create({ database });
        logger.info(
          `Access plugin ready; provisioners: ${
            [...provisioners.keys()].join(', ') || 'none'
          }`,
        );
        httpRouter.use(await createRouter({ httpAuth, userInfo, store }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
