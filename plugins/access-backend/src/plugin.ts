import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  accessPermissions,
  accessRequestReadPermission,
} from '@jit-access/plugin-access-common';
import {
  AccessProvisioner,
  accessProvisionersExtensionPoint,
} from '@jit-access/plugin-access-node';
import { readAccessConfig } from './config/accessConfig';
import { AccessStore } from './database/AccessStore';
import { FavoriteService } from './favorites/FavoriteService';
import { AccessNotifier } from './notify/AccessNotifier';
import {
  accessRequestResourceRef,
  accessRequestRules,
} from './permissions/rules';
import { RequestService } from './requests/RequestService';
import { ResourceCatalog } from './resources/ResourceCatalog';
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
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        notifications: notificationService,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        userInfo: coreServices.userInfo,
      },
      async init(deps) {
        const { auth, catalog, config, database, httpRouter, logger } = deps;
        // A configuration mistake stops the backend here, naming the flow and field.
        const accessConfig = readAccessConfig(config);

        const store = await AccessStore.create({ database });
        const resources = new ResourceCatalog({
          catalog,
          auth,
          configResources: accessConfig.resources,
        });
        const requests = new RequestService({
          db: store.db,
          flows: accessConfig.flows,
          bundles: accessConfig.bundles,
          resources,
          catalog,
          auth,
          notifier: new AccessNotifier(deps.notifications, logger),
        });
        await deps.scheduler.scheduleTask({
          id: 'access-pending-timeout',
          scope: 'global',
          frequency: { minutes: 1 },
          timeout: { minutes: 5 },
          fn: async () => {
            const failed = await requests.failOverdue();
            if (failed > 0) {
              logger.info(
                `Failed ${failed} request(s) whose approval timed out`,
              );
            }
          },
        });
        deps.permissionsRegistry.addPermissions(
          accessPermissions.filter(p => p !== accessRequestReadPermission),
        );
        deps.permissionsRegistry.addResourceType({
          resourceRef: accessRequestResourceRef,
          permissions: [accessRequestReadPermission],
          rules: Object.values(accessRequestRules),
          getResources: ids => requests.getMany(ids),
        });
        logger.info(
          `Access plugin ready: ${accessConfig.flows.length} flows, ${
            accessConfig.resources.length
          } configured resources, provisioners: ${
            [...provisioners.keys()].join(', ') || 'none'
          }`,
        );
        httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            store,
            resources,
            bundles: accessConfig.bundles,
            requests,
            favorites: new FavoriteService(store.db, requests),
            auditor: deps.auditor,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
