/**
 * The messaging endpoint, `POST /api/access/chat/teams/messages`: what Azure Bot Service posts
 * every Teams activity to. It is public in Backstage's sense (no Backstage token) and
 * authenticated by the SDK's JWT check alone: a missing, forged, expired, foreign-audience or
 * foreign-issuer token is a 401 before the body is even read.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { AccessChatContext } from '@jit-access/plugin-access-node';
import {
  CloudAdapter,
  ConnectorClient,
  TurnContext,
} from '@microsoft/agents-hosting';
import express, { Router } from 'express';
import {
  CardActionResponse,
  errorResponse,
  handleCardAction,
} from './cardActions';

export const MESSAGES_PATH = '/chat/teams/messages';

export interface TeamsRouterOptions {
  adapter: CloudAdapter;
  tenantId: string;
  logger: LoggerService;
  /** The access plugin's context once it has started; until then the endpoint answers 503. */
  getContext: () => AccessChatContext | undefined;
}

function invokeResponse(body: CardActionResponse) {
  return { type: 'invokeResponse', value: { status: 200, body } };
}

async function memberEmail(turn: TurnContext): Promise<string | undefined> {
  const { from, conversation } = turn.activity;
  if (!from?.id || !conversation?.id) {
    return undefined;
  }
  const client = turn.turnState.get<ConnectorClient>(
    turn.adapter.ConnectorClientKey,
  );
  try {
    const member = (await client.getConversationMember(
      from.id,
      conversation.id,
    )) as { email?: string; userPrincipalName?: string };
    return member.email ?? member.userPrincipalName;
  } catch {
    return undefined;
  }
}

export function createTeamsRouter(options: TeamsRouterOptions): Router {
  const { adapter, logger, getContext } = options;

  adapter.onTurnError = async (turn, error) => {
    logger.error(`Teams activity failed: ${error}`);
    if (turn.activity.type === 'invoke') {
      await turn.sendActivity(
        invokeResponse(
          errorResponse(
            500,
            'InternalError',
            'The access bot could not handle this; try again, or decide in the portal.',
          ),
        ) as any,
      );
      return;
    }
    throw error;
  };

  const router = Router();
  router.post(
    MESSAGES_PATH,
    (_req, res, next) => {
      if (!getContext()) {
        res
          .status(503)
          .json({ error: 'The access plugin is starting; try again.' });
        return;
      }
      next();
    },
    (req, res, next) => {
      adapter.authorizeRequest(req as any, res as any, next).catch(next);
    },
    express.json({ limit: '256kb' }),
    async (req, res) => {
      const context = getContext()!;
      try {
        await adapter.process(req as any, res as any, async turn => {
          const activity = turn.activity;
          if (
            activity.type === 'invoke' &&
            activity.name === 'adaptiveCard/action'
          ) {
            const answer = await handleCardAction(activity as any, {
              context,
              tenantId: options.tenantId,
              lookupEmail: () => memberEmail(turn),
            });
            await turn.sendActivity(invokeResponse(answer) as any);
          } else if (activity.type === 'message') {
            await turn.sendActivity(
              `I send you access requests to approve, and news of your own requests. Everything else is in the portal: ${context.portalBaseUrl}/access`,
            );
          }
        });
      } catch (error) {
        // The SDK throws before the turn for what Teams never sends (no body, no conversation)
        // and when the bot's own token cannot be had (the authority is down).
        logger.warn(`Teams activity not processed: ${error}`);
        if (!res.headersSent) {
          if (error instanceof TypeError) {
            res.status(400).json({ error: 'Invalid activity.' });
          } else {
            res
              .status(503)
              .json({ error: 'Teams cannot be reached now; try again.' });
          }
        }
      }
    },
  );
  router.use(
    MESSAGES_PATH,
    (
      error: Error & { type?: string; status?: number },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (res.headersSent) {
        next(error);
        return;
      }
      if (
        error.type === 'entity.parse.failed' ||
        error.type === 'entity.too.large'
      ) {
        res
          .status(error.status ?? 400)
          .json({ error: `Invalid body: ${error.message}` });
        return;
      }
      logger.warn(`Teams request refused: ${error}`);
      res.status(401).json({ error: 'Unauthorized' });
    },
  );
  return router;
}
