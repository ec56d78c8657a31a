import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { accessChatChannelsExtensionPoint } from '@jit-access/plugin-access-node';
import { readSlackChatConfig } from './config';
import { createInteractionsRouter, INTERACTIONS_PATH } from './interactions';
import { SlackChannel } from './SlackChannel';

/**
 * Slack for the access plugin: approval messages with Approve and Reject to approvers, updated
 * after every decision, and updates to requesters; decisions from Slack through the plugin's
 * own decide command. Off without `access.chat.slack`.
 */
export const accessModuleSlackChat = createBackendModule({
  pluginId: 'access',
  moduleId: 'slack-chat',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        httpRouter: coreServices.httpRouter,
        chat: accessChatChannelsExtensionPoint,
      },
      async init({ config, logger, auditor, httpRouter, chat }) {
        // Half a config stops the backend here, naming the missing key.
        const slackConfig = readSlackChatConfig(config);
        if (!slackConfig) {
          logger.info(
            'Slack chat is off: access.chat.slack has no botToken and signingSecret',
          );
          return;
        }
        const channel = new SlackChannel(slackConfig, logger);
        chat.addChatChannel(channel);
        httpRouter.use(
          createInteractionsRouter({
            channel,
            signingSecret: slackConfig.signingSecret,
            logger,
            auditor,
          }),
        );
        // Slack sends no Backstage token: its signature authenticates this path, and only it.
        httpRouter.addAuthPolicy({
          path: INTERACTIONS_PATH,
          allow: 'unauthenticated',
        });
        logger.info(
          `Slack chat is on: interactivity at /api/access${INTERACTIONS_PATH}`,
        );
      },
    });
  },
});
