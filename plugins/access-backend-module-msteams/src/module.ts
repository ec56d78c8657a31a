import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { accessChatChannelsExtensionPoint } from '@jit-access/plugin-access-node';
import { createTeamsAdapter } from './adapter';
import { readTeamsChatConfig, TEAMS_CONFIG_PATH } from './config';
import { createTeamsRouter, MESSAGES_PATH } from './router';
import { TeamsChannel } from './TeamsChannel';

/**
 * Brings the access plugin's approvals to Microsoft Teams: approvers get an Adaptive Card with
 * Approve and Reject, requesters hear how their requests went. Off (one log line) without
 * `access.chat.teams`.
 */
export const accessModuleMsTeams = createBackendModule({
  pluginId: 'access',
  moduleId: 'msteams',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        chatChannels: accessChatChannelsExtensionPoint,
      },
      async init({ config, logger, httpRouter, chatChannels }) {
        const teams = readTeamsChatConfig(config);
        if (!teams) {
          logger.info(
            `Microsoft Teams chat is off: no ${TEAMS_CONFIG_PATH} configuration`,
          );
          return;
        }
        const adapter = createTeamsAdapter(teams);
        const channel = new TeamsChannel(adapter, teams);
        chatChannels.addChatChannel(channel);
        httpRouter.use(
          createTeamsRouter({
            adapter,
            tenantId: teams.tenantId,
            logger,
            getContext: () => channel.getContext(),
          }),
        );
        httpRouter.addAuthPolicy({
          path: MESSAGES_PATH,
          allow: 'unauthenticated',
        });
        logger.info(
          `Microsoft Teams chat is on: bot ${teams.clientId}, tenant ${teams.tenantId}`,
        );
      },
    });
  },
});
