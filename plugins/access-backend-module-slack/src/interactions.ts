/**
 * Slack's interactivity endpoint: `POST /api/access/chat/slack/interactions`. Public, because
 * Slack cannot send a Backstage token: what authenticates a call is Slack's signature over the
 * raw body with the app's signing secret, checked by Bolt's `verifySlackRequest` (which also
 * refuses timestamps older than five minutes, so a recorded call cannot be replayed later).
 * A call that fails it is answered 401 and nothing else happens. A verified call is answered at
 * once (Slack waits 3 seconds at most); the decision is made after the answer.
 */
import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  AccessChatDecisionResult,
  AccessChatUser,
} from '@jit-access/plugin-access-node';
import { verifySlackRequest } from '@slack/bolt';
import express from 'express';
import {
  APPROVE_ACTION,
  REASON_BLOCK,
  REASON_CALLBACK,
  REASON_INPUT,
  reasonModal,
  REJECT_ACTION,
} from './blocks';
import { SlackChannel } from './SlackChannel';

/** The path under the plugin's router (`/api/access` on the backend). */
export const INTERACTIONS_PATH = '/chat/slack/interactions';

/** How far a timestamp may lie ahead of this clock (Bolt checks how far it lies behind). */
const MAX_CLOCK_AHEAD_S = 5 * 60;

export const NOT_LINKED =
  'Your Slack account is not linked to a Backstage user, so nothing was decided. Ask your Backstage admins to add the annotation `slack.com/user_id` with your Slack member id to your User entity, or to give it the e-mail address of your Slack profile.';

/** What to tell a person whose click was refused. */
export function refusalText(
  result: Extract<AccessChatDecisionResult, { ok: false }>,
): string {
  switch (result.error) {
    case 'already-decided':
      return `Nothing changed: this request no longer waits for your decision. ${
        result.view?.outcome?.summary ?? result.message
      }.`;
    case 'not-allowed':
      return `Nothing changed: ${result.message}.`;
    case 'not-found':
      return 'Nothing changed: there is no such access request, or it is not one you may see.';
    case 'reason-required':
      return 'Nothing changed: the flow requires a reason for this decision.';
    default:
      return `Nothing changed: ${result.message}`;
  }
}

interface Payload {
  type?: string;
  user?: { id?: string };
  trigger_id?: string;
  container?: { channel_id?: string };
  channel?: { id?: string };
  actions?: Array<{ action_id?: string; value?: string }>;
  view?: {
    callback_id?: string;
    private_metadata?: string;
    state?: {
      values?: Record<string, Record<string, { value?: string | null }>>;
    };
  };
}

/** Why a call is not Slack's, or undefined when its signature holds. */
function signatureProblem(
  req: express.Request,
  raw: string,
  signingSecret: string,
): string | undefined {
  const signature = req.get('x-slack-signature');
  const timestamp = req.get('x-slack-request-timestamp');
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) {
    return 'Missing or malformed X-Slack-Signature / X-Slack-Request-Timestamp';
  }
  if (Number(timestamp) > Date.now() / 1000 + MAX_CLOCK_AHEAD_S) {
    return 'X-Slack-Request-Timestamp lies in the future';
  }
  try {
    verifySlackRequest({
      signingSecret,
      body: raw,
      headers: {
        'x-slack-signature': signature,
        'x-slack-request-timestamp': Number(timestamp),
      },
    });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export function createInteractionsRouter(deps: {
  channel: SlackChannel;
  signingSecret: string;
  logger: LoggerService;
  auditor: AuditorService;
}): express.Router {
  const { channel, logger } = deps;
  const router = express.Router();

  /** The catalog User behind the Slack user, or undefined after telling them to link. */
  const who = async (
    userId: string,
    channelId: string | undefined,
  ): Promise<AccessChatUser | undefined> => {
    const user = await channel.connection.resolveChatUser({
      channel: 'slack',
      chatUserId: userId,
      email: () => channel.emailOf(userId),
    });
    if (!user) {
      await channel.tell(channelId, userId, NOT_LINKED);
    }
    return user;
  };

  const decide = async (input: {
    userId: string;
    deciderRef: string;
    channelId?: string;
    requestId: string;
    decision: 'approve' | 'reject';
    reason?: string;
  }) => {
    const result = await channel.connection.decide(
      input.requestId,
      input.decision,
      input.reason,
      {
        channel: 'slack',
        chatUserId: input.userId,
        deciderRef: input.deciderRef,
      },
    );
    // A decision taken updates every message through the plugin's outbox; a refusal is said
    // to the one who clicked, and changes nothing.
    if (!result.ok) {
      await channel.tell(input.channelId, input.userId, refusalText(result));
    }
  };

  const clicked = async (payload: Payload, decision: 'approve' | 'reject') => {
    const userId = payload.user?.id ?? '';
    const requestId = payload.actions?.[0]?.value ?? '';
    const channelId = payload.container?.channel_id ?? payload.channel?.id;
    const user = await who(userId, channelId);
    if (!user) {
      return;
    }
    const context = channel.connection;
    if (await context.reasonRequired(requestId, decision)) {
      const view = await context.getApprovalView(requestId, user.entityRef);
      if (view?.outcome) {
        await channel.tell(
          channelId,
          userId,
          `Nothing changed: this request no longer waits for your decision. ${view.outcome.summary}.`,
        );
        return;
      }
      await channel.client.views.open({
        trigger_id: payload.trigger_id ?? '',
        view: reasonModal({
          requestId,
          decision,
          channelId,
          summary: view
            ? `${view.requester.displayName} asks for ${view.items
                .map(i => `${i.resourceTitle} (${i.permission})`)
                .join(', ')}`
            : `Request ${requestId}`,
        }),
      });
      return;
    }
    await decide({
      userId,
      deciderRef: user.entityRef,
      channelId,
      requestId,
      decision,
    });
  };

  const submitted = async (payload: Payload) => {
    const meta = JSON.parse(payload.view?.private_metadata ?? '{}') as {
      requestId?: string;
      decision?: string;
      channelId?: string;
    };
    const userId = payload.user?.id ?? '';
    const decision = meta.decision === 'reject' ? 'reject' : 'approve';
    const user = await who(userId, meta.channelId);
    if (!user || !meta.requestId) {
      return;
    }
    const reason =
      payload.view?.state?.values?.[REASON_BLOCK]?.[REASON_INPUT]?.value ??
      undefined;
    await decide({
      userId,
      deciderRef: user.entityRef,
      channelId: meta.channelId,
      requestId: meta.requestId,
      decision,
      reason: reason ?? undefined,
    });
  };

  router.post(
    INTERACTIONS_PATH,
    express.raw({ type: () => true, limit: '1mb' }),
    (req, res, next) => {
      handle(req, res).catch(next);
    },
  );

  async function handle(req: express.Request, res: express.Response) {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const problem = signatureProblem(req, raw, deps.signingSecret);
    if (problem) {
      const event = await deps.auditor.createEvent({
        eventId: 'slack-interaction-refused',
        severityLevel: 'medium',
        request: req,
        meta: { reason: problem },
      });
      await event.fail({ error: new Error(problem) });
      res.status(401).json({
        error: {
          name: 'AuthenticationError',
          message: `Not a request from Slack: ${problem}`,
        },
      });
      return;
    }
    let payload: Payload;
    try {
      payload = JSON.parse(new URLSearchParams(raw).get('payload') ?? '');
    } catch {
      res.status(400).json({
        error: {
          name: 'InputError',
          message: 'The body has no JSON payload field',
        },
      });
      return;
    }
    if (!channel.connected) {
      res.status(503).json({
        error: {
          name: 'ServiceUnavailableError',
          message: 'The access plugin has not started yet',
        },
      });
      return;
    }

    let work: (() => Promise<void>) | undefined;
    const action = payload.actions?.[0]?.action_id;
    if (payload.type === 'block_actions' && action === APPROVE_ACTION) {
      work = () => clicked(payload, 'approve');
    } else if (payload.type === 'block_actions' && action === REJECT_ACTION) {
      work = () => clicked(payload, 'reject');
    } else if (
      payload.type === 'view_submission' &&
      payload.view?.callback_id === REASON_CALLBACK
    ) {
      work = () => submitted(payload);
    }
    // Answer first (an empty 200 also closes a submitted modal); then do the work.
    res.status(200).end();
    work?.().catch(error => logger.warn(`Slack interaction failed: ${error}`));
  }
  return router;
}
