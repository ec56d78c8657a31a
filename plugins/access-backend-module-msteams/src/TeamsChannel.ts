/**
 * The Teams side of the access plugin's chat channel contract: where a catalog User is reached
 * (their Microsoft Entra object id), and the SDK calls that post an approval card in a one-to-one
 * chat, update it in place, and tell a requester how their request went. The plugin calls these
 * from its outbox and retries them; a failure here is classified for it.
 */
import {
  AccessChatAddress,
  AccessChatApprovalView,
  AccessChatCallContext,
  AccessChatChannel,
  AccessChatContext,
  AccessChatDeliveryError,
  AccessChatMessageRef,
  AccessChatRequesterUpdate,
  AccessChatUser,
} from '@jit-access/plugin-access-node';
import { CloudAdapter } from '@microsoft/agents-hosting';
import {
  AdaptiveCard,
  approvalCard,
  approvalSummary,
  requesterUpdateCard,
} from './cards';
import { TeamsChatConfig } from './config';

/** The User entity annotation with the person's Microsoft Entra object id. */
export const TEAMS_USER_ANNOTATION = 'graph.microsoft.com/user-id';

/** The audience of the bot's outbound token for the Bot Connector service. */
const BOT_CONNECTOR_AUDIENCE = 'https://api.botframework.com';
const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

function cardActivity(card: AdaptiveCard, summary: string, id?: string) {
  return {
    type: 'message',
    ...(id && { id }),
    summary,
    attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
  };
}

/** Retry-After of an SDK HTTP error, in milliseconds. */
function retryAfterMs(error: any): number | undefined {
  const header = error?.response?.headers?.get?.('retry-after');
  const seconds =
    header === undefined || header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Says whether trying again can help: 429 waits; 400, 401, 403 and 404 never pass later. */
export function classifyDeliveryError(error: unknown): Error {
  const status = (error as { status?: number })?.status;
  const message = `Teams: ${(error as Error)?.message ?? String(error)}`;
  if (status === 429) {
    return new AccessChatDeliveryError(message, {
      retryAfterMs: retryAfterMs(error),
    });
  }
  if (status === 400 || status === 401 || status === 403 || status === 404) {
    return new AccessChatDeliveryError(message, { permanent: true });
  }
  return error instanceof Error ? error : new Error(message);
}

async function withSignal<T>(
  signal: AbortSignal,
  work: () => Promise<T>,
): Promise<T> {
  if (signal.aborted) {
    throw new Error('Teams call aborted');
  }
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('Teams call aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(), aborted]);
  } catch (error) {
    throw classifyDeliveryError(error);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export class TeamsChannel implements AccessChatChannel {
  readonly id = 'teams' as const;
  private context?: AccessChatContext;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly config: TeamsChatConfig,
  ) {}

  connect(context: AccessChatContext): void {
    this.context = context;
  }

  /** The access plugin's context, once it has started. */
  getContext(): AccessChatContext | undefined {
    return this.context;
  }

  async addressOf(
    user: AccessChatUser,
  ): Promise<AccessChatAddress | undefined> {
    const objectId = user.annotations[TEAMS_USER_ANNOTATION]?.trim();
    if (!objectId) {
      return undefined;
    }
    return { userId: objectId, extra: { tenantId: this.config.tenantId } };
  }

  /** Opens (or finds) the one-to-one chat with the person and posts the card there. */
  private async post(
    to: AccessChatAddress,
    activity: Record<string, unknown>,
    ctx: AccessChatCallContext,
  ): Promise<AccessChatMessageRef> {
    const { clientId, serviceUrl } = this.config;
    const tenantId =
      typeof to.extra?.tenantId === 'string'
        ? to.extra.tenantId
        : this.config.tenantId;
    return withSignal(ctx.signal, async () => {
      let ref: AccessChatMessageRef | undefined;
      await this.adapter.createConversationAsync(
        clientId,
        'msteams',
        serviceUrl,
        BOT_CONNECTOR_AUDIENCE,
        {
          isGroup: false,
          agent: { id: `28:${clientId}`, name: 'Access' },
          members: [{ id: to.userId, aadObjectId: to.userId }],
          tenantId,
          channelData: { tenant: { id: tenantId } },
        } as any,
        async turn => {
          const sent = await turn.sendActivity(activity as any);
          if (!sent?.id || !turn.activity.conversation?.id) {
            throw new Error(
              'Teams did not return the id of the message it posted',
            );
          }
          ref = {
            conversationId: turn.activity.conversation.id,
            messageId: sent.id,
            extra: { serviceUrl },
          };
        },
      );
      if (!ref) {
        throw new Error('Teams did not post the message');
      }
      return ref;
    });
  }

  async postApproval(
    to: AccessChatAddress,
    view: AccessChatApprovalView,
    ctx: AccessChatCallContext,
  ): Promise<AccessChatMessageRef> {
    return this.post(
      to,
      cardActivity(approvalCard(view), approvalSummary(view)),
      ctx,
    );
  }

  async updateApproval(
    message: AccessChatMessageRef,
    view: AccessChatApprovalView,
    ctx: AccessChatCallContext,
  ): Promise<void> {
    const serviceUrl =
      typeof message.extra?.serviceUrl === 'string'
        ? message.extra.serviceUrl
        : this.config.serviceUrl;
    await withSignal(ctx.signal, () =>
      this.adapter.continueConversation(
        this.config.clientId,
        {
          channelId: 'msteams',
          serviceUrl,
          conversation: { id: message.conversationId } as any,
          agent: { id: `28:${this.config.clientId}` } as any,
          activityId: message.messageId,
        },
        async turn => {
          await turn.updateActivity(
            cardActivity(
              approvalCard(view),
              approvalSummary(view),
              message.messageId,
            ) as any,
          );
        },
      ),
    );
  }

  async postRequesterUpdate(
    to: AccessChatAddress,
    update: AccessChatRequesterUpdate,
    ctx: AccessChatCallContext,
  ): Promise<AccessChatMessageRef> {
    return this.post(
      to,
      cardActivity(requesterUpdateCard(update), update.summary),
      ctx,
    );
  }
}
