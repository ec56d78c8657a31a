import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AccessChatAddress,
  AccessChatApprovalView,
  AccessChatChannel,
  AccessChatContext,
  accessChatChannelsExtensionPoint,
  AccessChatMessageRef,
  AccessChatRequesterUpdate,
  AccessChatUser,
} from '@jit-access/plugin-access-node';
import express from 'express';

export type RecordedCall =
  | { op: 'post'; to: string; view: AccessChatApprovalView; at: number }
  | {
      op: 'update';
      message: AccessChatMessageRef;
      view: AccessChatApprovalView;
      at: number;
    }
  | {
      op: 'requester';
      to: string;
      update: AccessChatRequesterUpdate;
      at: number;
    };

/**
 * A chat channel that keeps what it is asked to send instead of sending it, for the core's tests:
 * the Slack and Teams modules test their real vendors' side. Its address is the User's
 * `slack.com/user_id`; `failures` are thrown by the next calls, in order.
 */
export class RecordingChannel implements AccessChatChannel {
  readonly id = 'slack' as const;
  readonly calls: RecordedCall[] = [];
  readonly attempts: number[] = [];
  failures: Error[] = [];
  context?: AccessChatContext;
  private next = 1;

  connect(context: AccessChatContext): void {
    this.context = context;
  }

  async addressOf(
    user: AccessChatUser,
  ): Promise<AccessChatAddress | undefined> {
    const id =
      user.annotations['slack.com/user_id'] ??
      user.annotations['slack.com/bot-notify'];
    return id ? { userId: id } : undefined;
  }

  private attempt(): void {
    this.attempts.push(Date.now());
    const failure = this.failures.shift();
    if (failure) {
      throw failure;
    }
  }

  async postApproval(
    to: AccessChatAddress,
    view: AccessChatApprovalView,
  ): Promise<AccessChatMessageRef> {
    this.attempt();
    this.calls.push({ op: 'post', to: to.userId, view, at: Date.now() });
    return {
      conversationId: `D-${to.userId}`,
      messageId: `${this.next++}`,
      extra: { to: to.userId },
    };
  }

  async updateApproval(
    message: AccessChatMessageRef,
    view: AccessChatApprovalView,
  ): Promise<void> {
    this.attempt();
    this.calls.push({ op: 'update', message, view, at: Date.now() });
  }

  async postRequesterUpdate(
    to: AccessChatAddress,
    update: AccessChatRequesterUpdate,
  ): Promise<void> {
    this.attempt();
    this.calls.push({ op: 'requester', to: to.userId, update, at: Date.now() });
  }
}

/**
 * A module adding the channel, with an inbound route as a chat module serves one: public, on the
 * raw body.
 */
export function recordingChannelModule(channel: RecordingChannel) {
  return createBackendModule({
    pluginId: 'access',
    moduleId: 'recording-chat',
    register(env) {
      env.registerInit({
        deps: {
          chat: accessChatChannelsExtensionPoint,
          httpRouter: coreServices.httpRouter,
        },
        async init({ chat, httpRouter }) {
          chat.addChatChannel(channel);
          const router = express.Router();
          router.post(
            '/chat/slack/echo',
            express.raw({ type: () => true }),
            (req, res) => {
              res.json({
                raw: Buffer.isBuffer(req.body)
                  ? req.body.toString('utf8')
                  : null,
                connected: Boolean(channel.context),
              });
            },
          );
          httpRouter.use(router);
          httpRouter.addAuthPolicy({
            path: '/chat/slack/echo',
            allow: 'unauthenticated',
          });
        },
      });
    },
  });
}

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) {
      return value;
    }
    if (Date.now() > until) {
      throw new Error('Timed out waiting');
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** Waits until the asynchronous `check` holds (polling), or fails after `timeoutMs`. */
export async function eventuallyAsync<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > until) {
      throw new Error('Timed out waiting');
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}
