import {
  coreServices,
  createBackendPlugin,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { Duration } from 'luxon';
import {
  accessPermissions,
  accessRequestReadPermission,
} from '@jit-access/plugin-access-common';
import {
  AccessChatChannel,
  accessChatChannelsExtensionPoint,
  AccessProvisioner,
  accessProvisionersExtensionPoint,
} from '@jit-access/plugin-access-node';
import { startChat } from './chat/startChat';
import { ChatOutbox } from './notify/ChatOutbox';
import { registerAccessActions } from './actions/registerAccessActions';
import { startAuditChain } from './audit/auditAnchor';
import { createCredentialCallers } from './callers/callers';
import { readAuditConfig } from './audit/auditConfig';
import { readAccessConfig } from './config/accessConfig';
import { AccessDatabase } from './database/AccessDatabase';
import { FavoriteService } from './favorites/FavoriteService';
import { CredentialService } from './credentials/CredentialService';
import { credentialVaultFromConfig } from './engine/credentialsKey';
import { ProvisioningEngine } from './engine/ProvisioningEngine';
import { AccessEvents } from './events/AccessEvents';
import { FulfilmentService } from './fulfilment/FulfilmentService';
import { ProvisionerGateway } from './provisioning/ProvisionerGateway';
import { AccessNotifier } from './notify/AccessNotifier';
import { RequestSignals } from './notify/RequestSignals';
import { Reconciler } from './reconcile/Reconciler';
import {
  accessRequestResourceRef,
  accessRequestRules,
} from './permissions/rules';
import { ApprovalReminders } from './requests/ApprovalReminders';
import { RequestService } from './requests/RequestService';
import { discoverResources } from './provisioning/discoverResources';
import { ResourceCatalog } from './resources/ResourceCatalog';
import { SuggestionService } from './suggestions/SuggestionService';
import { ACCESS_JOBS, AccessJob, readJobSchedules } from './jobs/jobSchedules';
import { createRouter } from './service/router';
import { UserRateLimits } from './callers/rateLimits';

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

    const chatChannels = new Map<string, AccessChatChannel>();
    env.registerExtensionPoint(accessChatChannelsExtensionPoint, {
      addChatChannel(...added) {
        for (const channel of added) {
          if (chatChannels.has(channel.id)) {
            throw new Error(
              `Two access chat channels have the id '${channel.id}'; install one module per chat`,
            );
          }
          chatChannels.set(channel.id, channel);
        }
      },
    });

    env.registerInit({
      deps: {
        actionsRegistry: actionsRegistryServiceRef,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        metrics: metricsServiceRef,
        permissions: coreServices.permissions,
        notifications: notificationService,
        permissionsRegistry: coreServices.permissionsRegistry,
        rootLifecycle: coreServices.rootLifecycle,
        scheduler: coreServices.scheduler,
        signals: signalsServiceRef,
        userInfo: coreServices.userInfo,
      },
      async init(deps) {
        const { auth, catalog, config, database, httpRouter, logger } = deps;
        // A configuration mistake stops the backend here, naming the flow and field.
        const accessConfig = readAccessConfig(config);
        // Refuses to start without access.audit.chainKey outside development and test.
        const auditConfig = readAuditConfig(config);
        // The same for access.credentials.encryptionKey.
        const vault = credentialVaultFromConfig(
          accessConfig.credentials,
          logger,
        );

        const store = await AccessDatabase.create({ database });
        // Before anything appends: the chain's key, and the job that exports its head.
        await startAuditChain({
          audit: store.audit,
          config: auditConfig,
          auditor: deps.auditor,
          logger,
          scheduler: deps.scheduler,
        });
        const resources = new ResourceCatalog({
          catalog,
          auth,
          configResources: accessConfig.resources,
          provisioners,
          trust: accessConfig.trust,
          logger,
        });
        const { engine: engineConfig } = accessConfig;
        warnAboutMissingProvisioners(
          accessConfig.resources,
          provisioners,
          logger,
        );
        // Every provisioner call goes through it, with access.engine.callTimeout.
        const gateway = new ProvisionerGateway({
          provisioners,
          logger,
          callTimeoutMs: millis(engineConfig.callTimeout),
          callTimeoutsMs: Object.fromEntries(
            Object.entries(engineConfig.callTimeouts).map(([id, timeout]) => [
              id,
              millis(timeout),
            ]),
          ),
          metrics: deps.metrics,
        });
        const notifier = new AccessNotifier(deps.notifications, logger);
        const events = new AccessEvents();
        // Chat messages are queued beside the notifications and delivered by the chat job.
        let kickChat = () => {};
        const chat = new ChatOutbox({
          store: store.chat,
          channels: () => [...chatChannels.keys()],
          logger,
          onQueued: () => kickChat(),
        });
        const requests: RequestService = new RequestService({
          stores: store,
          flows: accessConfig.flows,
          bundles: accessConfig.bundles,
          resources,
          catalog,
          auth,
          notifier,
          signals: new RequestSignals(deps.signals, logger),
          gateway,
          events,
          chat,
        });
        // People hear of the changes the engine and fulfilment tasks make.
        events.on('statusChanged', changes =>
          requests.announceChanges(changes),
        );
        const reminders = new ApprovalReminders({
          stores: store,
          flows: accessConfig.flows,
          resources,
          catalog,
          auth,
          notifier,
          chat,
        });
        const fulfilment = new FulfilmentService(store, { events });
        const reconciler = new Reconciler({
          stores: store,
          gateway,
          logger,
        });

        const schedules = readJobSchedules(config, engineConfig);
        const schedule = (
          job: AccessJob,
          fn: () => Promise<unknown>,
        ): Promise<void> =>
          deps.scheduler.scheduleTask({
            id: ACCESS_JOBS[job].taskId,
            ...schedules[job],
            fn: async () => {
              await fn();
            },
          });

        if ([...provisioners.values()].some(p => p.discover)) {
          await schedule('discovery', async () =>
            resources.setDiscovered(await discoverResources(gateway, logger)),
          );
        }
        // Pending requests time out, and their approvers are reminded, whether or not this
        // instance provisions.
        await schedule('pendingApprovals', async () => {
          const failed = await requests.failOverdue();
          const { reminded, escalated } = await reminders.run();
          if (failed + reminded + escalated > 0) {
            logger.info(
              `Pending requests: ${failed} timed out, ${reminded} reminded, ${escalated} escalated`,
            );
          }
        });

        if (engineConfig.enabled) {
          const engine = new ProvisioningEngine({
            stores: store,
            gateway,
            resources,
            vault,
            logger,
            events,
            useTimer: true,
            retry: {
              maxAttempts: engineConfig.retry.maxAttempts,
              initialDelayMs: millis(engineConfig.retry.initialDelay),
              maxDelayMs: millis(engineConfig.retry.maxDelay),
            },
            leaseMs: Math.max(120_000, 2 * gateway.longestTimeout()),
          });
          events.on('workAvailable', () => engine.kick());
          deps.lifecycle.addStartupHook(() => engine.kick());
          deps.lifecycle.addShutdownHook(() => engine.stop());
          await schedule('provisioningSweep', () => engine.tick());
          await schedule('reconciliation', () => reconciler.run());
        } else {
          logger.info(
            'access.engine.enabled is false: this instance does not provision, expire or reconcile',
          );
        }
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
        // /health answers 200 only once the whole backend has started: while another plugin or
        // module refuses to start (and the process is on its way out) it answers 503, so that a
        // refused start never looks healthy to a load balancer or readiness probe.
        let backendStarted = false;
        deps.rootLifecycle.addStartupHook(() => {
          backendStarted = true;
        });
        httpRouter.use((req, _res, next) => {
          if (req.path === '/health' && !backendStarted) {
            next(
              new ServiceUnavailableError(
                'The backend has not finished starting',
              ),
            );
            return;
          }
          next();
        });
        const suggestions = new SuggestionService({
          stores: store,
          resources,
          bundles: accessConfig.bundles,
          flows: accessConfig.flows,
          catalog,
          auth,
        });
        // One set of per-user limits for the HTTP API, the actions and chat alike.
        const rateLimits = new UserRateLimits(accessConfig.rateLimits);
        if (chatChannels.size > 0) {
          const deliverer = await startChat({
            channels: chatChannels,
            config,
            store,
            outbox: chat,
            requests,
            resources,
            catalog,
            auth,
            auditor: deps.auditor,
            logger,
            takeDecision: userRef => rateLimits.take('decisions', userRef),
            schedule: fn => schedule('chatDeliveries', fn),
          });
          kickChat = () => deliverer.kick();
          deps.lifecycle.addShutdownHook(() => deliverer.stop());
        }
        registerAccessActions({
          actionsRegistry: deps.actionsRegistry,
          callers: createCredentialCallers(deps),
          rateLimits,
          auditor: deps.auditor,
          resources,
          bundles: accessConfig.bundles,
          requests,
          suggestions,
        });
        httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            store,
            resources,
            bundles: accessConfig.bundles,
            requests,
            suggestions,
            favorites: new FavoriteService(store.favorites, requests),
            credentials: new CredentialService({
              stores: store,
              vault,
              gateway,
              logger,
            }),
            fulfilment,
            reconciler,
            chat,
            auditor: deps.auditor,
            rateLimits,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});

function millis(isoDuration: string): number {
  return Duration.fromISO(isoDuration).toMillis();
}

/** A resource whose provisioner is not installed would fail every grant: say so at startup. */
function warnAboutMissingProvisioners(
  resources: Array<{ ref: string; integration: string }>,
  provisioners: ReadonlyMap<string, AccessProvisioner>,
  logger: LoggerService,
) {
  const missing = new Map<string, string[]>();
  for (const resource of resources) {
    if (!provisioners.has(resource.integration)) {
      missing.set(resource.integration, [
        ...(missing.get(resource.integration) ?? []),
        resource.ref,
      ]);
    }
  }
  for (const [integration, refs] of missing) {
    logger.warn(
      `No access provisioner '${integration}' is installed; grants of ${refs.join(
        ', ',
      )} will fail until one is`,
    );
  }
}
