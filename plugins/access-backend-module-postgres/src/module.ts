import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { accessProvisionersExtensionPoint } from '@jit-access/plugin-access-node';
import { readPostgresProvisionerConfig } from './config';
import { createPostgresProvisioner } from './provisioner';

/**
 * Adds the PostgreSQL provisioner to the access plugin when `access.postgres` is configured:
 * temporary login roles, one per grant, ended by the database too (`VALID UNTIL`).
 */
export const accessModulePostgresProvisioner = createBackendModule({
  pluginId: 'access',
  moduleId: 'postgres-provisioner',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        provisioners: accessProvisionersExtensionPoint,
      },
      async init({ config, logger, lifecycle, provisioners }) {
        const postgresConfig = readPostgresProvisionerConfig(config);
        if (!postgresConfig) {
          logger.info(
            'No access.postgres configuration: the PostgreSQL provisioner is not added',
          );
          return;
        }
        const provisioner = createPostgresProvisioner({
          config: postgresConfig,
          logger,
        });
        // The catalog entities it accepts are the databases its config names, no others.
        provisioner.serves = {
          ...provisioner.serves,
          catalog: {
            resourceRefs: postgresConfig.databases.map(d => d.resource),
          },
        };
        provisioners.addProvisioner(provisioner);
        lifecycle.addShutdownHook(() => provisioner.close());
        logger.info(
          `PostgreSQL provisioner '${
            provisioner.id
          }' added for ${postgresConfig.databases
            .map(database => database.resource)
            .join(', ')}`,
        );
      },
    });
  },
});
