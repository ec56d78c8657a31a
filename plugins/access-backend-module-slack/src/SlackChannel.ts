import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  AccessChatAddress,
  AccessChatApprovalView,
  AccessChatChannel,
  AccessChatContext,
  AccessChatDeliveryError,
  AccessChatMessageRef,
  AccessChatRequesterUpdate,
  AccessChatUser,
} from '@jit-access/plugin-access-node';
import { ErrorCode, WebClient } from '@slack/web-api';
import { approvalBlocks, approvalText, requesterUpdateBlocks } from './blocks';
import { SlackChatConfig } from './config';

/** The User annotations that hold a Slack user id (ours, and Backstage's Slack notifications'). */
export const SLACK_USER_ANNOTATIONS = [
  'slack.com/user_id',
  'slack.com/bot-notify',
];

/** Slack errors that a retry cannot fix: the delivery fails at once (admins see it). */
const PERMANENT_ERRORS = new Set([
  'account_inactive',
  'cannot_dm_bot',
  'cant_update_message',
  'channel_not_found',
  'edit_window_closed',
  'invalid_auth',
  'invalid_blocks',
  'is_archived',
  'message_not_found',
  'missing_scope',
  'msg_too_long',
  'not_authed',
  'not_in_channel',
  'token_revoked',
  'user_disabled',
  'user_not_found',
  'users_not_found',
]);

/**
 * What a Web API failure means for the outbox: Slack's rate limit (HTTP 429 and its
 * Retry-After, which the client reports instead of waiting) says when to try again; an error
 * a retry cannot fix is permanent; anything else (HTTP 5xx, the network) is retried with backoff.
 */
export function deliveryError(error: unknown): Error {
  const e = error as {
    code?: string;
    retryAfter?: number;
    data?: { error?: string };
    message?: string;
  };
  if (e?.code === ErrorCode.RateLimitedError) {
    return new AccessChatDeliveryError('Slack rate limit (HTTP 429)', {
      retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000,
    });
  }
  if (e?.code === ErrorCode.PlatformError && e.data?.error) {
    return new AccessChatDeliveryError(`Slack: ${e.data.error}`, {
      permanent: PERMANENT_ERRORS.has(e.data.error),
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The Slack channel: direct messages from the app's bot, through Slack's own Web API client.
 * Its retries are off: the access plugin's outbox retries, with Slack's Retry-After.
 */
export class SlackChannel implements AccessChatChannel {
  readonly id = 'slack' as const;
  readonly client: WebClient;
  private context?: AccessChatContext;

  constructor(
    readonly config: SlackChatConfig,
    private readonly logger: LoggerService,
  ) {
    this.client = new WebClient(config.botToken, {
      slackApiUrl: config.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 20_000,
    });
  }

  connect(context: AccessChatContext): void {
    this.context = context;
  }

  /** Whether the access plugin has started and handed over its context. */
  get connected(): boolean {
    return Boolean(this.context);
  }

  /** The access plugin's context; until it has started, the endpoint answers 503. */
  get connection(): AccessChatContext {
    if (!this.context) {
      throw new ServiceUnavailableError(
        'The access plugin has not started yet',
      );
    }
    return this.context;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw deliveryError(error);
    }
  }

  async addressOf(
    user: AccessChatUser,
  ): Promise<AccessChatAddress | undefined> {
    for (const key of SLACK_USER_ANNOTATIONS) {
      const id = user.annotations[key]?.trim();
      // bot-notify may name a channel: only a user id (U…, W…) is a person.
      if (id && /^[UW][A-Z0-9]+$/.test(id)) {
        return { userId: id };
      }
    }
    if (!user.email) {
      return undefined;
    }
    try {
      const found = await this.client.users.lookupByEmail({
        email: user.email,
      });
      return found.user?.id ? { userId: found.user.id } : undefined;
    } catch (error) {
      const e = error as { data?: { error?: string } };
      if (e?.data?.error === 'users_not_found') {
        return undefined;
      }
      throw deliveryError(error);
    }
  }

  /** The e-mail of a Slack user (`users.info`, scope users:read.email), if Slack tells it. */
  async emailOf(userId: string): Promise<string | undefined> {
    try {
      const info = await this.client.users.info({ user: userId });
      return info.user?.profile?.email ?? undefined;
    } catch (error) {
      this.logger.warn(`Slack users.info for ${userId} failed: ${error}`);
      return undefined;
    }
  }

  async postApproval(
    to: AccessChatAddress,
    view: AccessChatApprovalView,
  ): Promise<AccessChatMessageRef> {
    const posted = await this.call(() =>
      this.client.chat.postMessage({
        channel: to.userId,
        text: approvalText(view),
        blocks: approvalBlocks(view),
        unfurl_links: false,
      }),
    );
    if (!posted.channel || !posted.ts) {
      throw new Error('Slack did not say where the message was posted');
    }
    return { conversationId: posted.channel, messageId: posted.ts };
  }

  async updateApproval(
    message: AccessChatMessageRef,
    view: AccessChatApprovalView,
  ): Promise<void> {
    await this.call(() =>
      this.client.chat.update({
        channel: message.conversationId,
        ts: message.messageId,
        text: approvalText(view),
        blocks: approvalBlocks(view),
      }),
    );
  }

  async postRequesterUpdate(
    to: AccessChatAddress,
    update: AccessChatRequesterUpdate,
  ): Promise<AccessChatMessageRef> {
    const posted = await this.call(() =>
      this.client.chat.postMessage({
        channel: to.userId,
        text: update.summary,
        blocks: requesterUpdateBlocks(update),
        unfurl_links: false,
      }),
    );
    return {
      conversationId: posted.channel ?? to.userId,
      messageId: posted.ts ?? '',
    };
  }

  /** A message only `userId` sees, where they clicked (a DM with the app, or a channel). */
  async tell(channelId: string | undefined, userId: string, text: string) {
    try {
      await this.client.chat.postEphemeral({
        channel: channelId ?? userId,
        user: userId,
        text,
      });
    } catch (error) {
      this.logger.warn(`Could not tell Slack user ${userId}: ${error}`);
    }
  }
}
