import { LoggerService } from '@backstage/backend-plugin-api';
import { AccessRequest } from '@jit-access/plugin-access-common';
import {
  AccessChatCallContext,
  AccessChatChannel,
  AccessChatRequesterUpdateKind,
} from '@jit-access/plugin-access-node';
import { ChatDelivery, ChatStore } from '../database/chat/ChatStore';
import { retryDelayMs, RetryPolicy } from '../engine/backoff';
import { ChatOutbox } from '../notify/ChatOutbox';
import { RequestService } from '../requests/RequestService';
import { ChatDirectory } from './chatIdentity';
import { approvalView, requesterUpdateView, ViewFacts } from './chatViews';
import { ChatFacts } from './chatFacts';

/** A claimed delivery is another worker's again after this long. */
const LEASE_MS = 2 * 60_000;
/** One vendor call may take this long. */
const CALL_TIMEOUT_MS = 30_000;

/** What came of one delivery. */
type Outcome =
  | { state: 'sent' }
  | { state: 'skipped'; why: string }
  | { retryAfterMs?: number; permanent?: boolean; error: string };

/** What a channel's error says about trying again (a property check: modules bundle their own). */
function retryFacts(error: unknown): {
  retryAfterMs?: number;
  permanent?: boolean;
} {
  const e = (error ?? {}) as { retryAfterMs?: unknown; permanent?: unknown };
  return {
    ...(typeof e.retryAfterMs === 'number' && e.retryAfterMs >= 0
      ? { retryAfterMs: e.retryAfterMs }
      : {}),
    ...(e.permanent === true ? { permanent: true } : {}),
  };
}

/**
 * Works through the chat outbox: claims due deliveries, renders each from the request as it is
 * now, calls the channel, and settles the row — sent, skipped (nobody to send to), retried with
 * exponential backoff (at least as long as the vendor's Retry-After, which also pauses the
 * channel's other deliveries), or failed for admins to see. It never touches a request.
 */
export class ChatDeliverer {
  private running?: Promise<void>;
  private again = false;
  private lastEndingScan = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** Channels a vendor asked to slow down (Retry-After), until when (epoch ms). */
  private readonly paused = new Map<string, number>();

  constructor(
    private readonly deps: {
      store: ChatStore;
      channels: ReadonlyMap<string, AccessChatChannel>;
      requests: RequestService;
      directory: ChatDirectory;
      facts: ChatFacts;
      outbox: ChatOutbox;
      logger: LoggerService;
      /** How long before access ends its people are told (ms). */
      expiringSoonMs: number;
      retry: RetryPolicy;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Delivers now and waits for it (the scheduled job); never beside another run. */
  async runNow(): Promise<void> {
    this.kick();
    await this.idle();
  }

  /** Delivers soon, in the background; runs never overlap in one process. */
  kick(): void {
    if (this.stopped) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run()
      .then(() => undefined)
      .catch(error =>
        this.deps.logger.warn(`Chat deliveries failed to run: ${error}`),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.wakeForNext();
        }
      });
  }

  /** Runs again when the next retry is due (within a minute; the job is the backstop). */
  private wakeForNext(): void {
    this.deps.store
      .nextDue()
      .then(next => {
        if (!next || this.stopped) {
          return;
        }
        clearTimeout(this.timer);
        const delay = Math.min(
          60_000,
          Math.max(50, next.getTime() - this.now().getTime()),
        );
        this.timer = setTimeout(() => this.kick(), delay);
        this.timer.unref?.();
      })
      .catch(() => undefined);
  }

  /** Waits for a background run, if one is going (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running) {
      await this.running;
    }
  }

  /** Stops delivering from this process (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.idle();
  }

  /** One pass: queue "expiring soon" where due, then deliver what is due. */
  private async run(): Promise<number> {
    await this.queueEndingSoon();
    const paused = this.paused;
    let done = 0;
    for (const delivery of await this.deps.store.due(this.now(), 100)) {
      const now = this.now();
      const pausedUntil = paused.get(delivery.channel);
      if (pausedUntil && pausedUntil > now.getTime()) {
        continue;
      }
      if (
        !(await this.deps.store.claim(
          delivery,
          new Date(now.getTime() + LEASE_MS),
        ))
      ) {
        continue;
      }
      const outcome = await this.deliver(delivery);
      await this.settle(delivery, outcome, paused);
      done += 1;
    }
    return done;
  }

  private async settle(
    delivery: ChatDelivery,
    outcome: Outcome,
    paused: Map<string, number>,
  ): Promise<void> {
    const now = this.now();
    if ('state' in outcome) {
      await this.deps.store.settle(
        delivery.id,
        outcome.state === 'skipped'
          ? { state: 'skipped', error: outcome.why }
          : { state: 'sent' },
        now,
      );
      return;
    }
    const policy = this.deps.retry;
    const attempts = delivery.attempts + 1;
    if (outcome.permanent || attempts >= policy.maxAttempts) {
      this.deps.logger.warn(
        `Chat delivery ${delivery.id} (${delivery.channel} ${delivery.kind} of request ${delivery.requestId}) failed after ${attempts} attempts: ${outcome.error}`,
      );
      await this.deps.store.settle(
        delivery.id,
        { state: 'failed', error: outcome.error },
        now,
      );
      return;
    }
    const waitMs = Math.max(
      retryDelayMs(attempts, policy),
      outcome.retryAfterMs ?? 0,
    );
    if (outcome.retryAfterMs !== undefined) {
      // The vendor asked the whole app to slow down, not this one message.
      paused.set(delivery.channel, now.getTime() + outcome.retryAfterMs);
    }
    await this.deps.store.settle(
      delivery.id,
      {
        state: 'pending',
        error: outcome.error,
        nextAttemptAt: new Date(now.getTime() + waitMs),
      },
      now,
    );
  }

  private async deliver(delivery: ChatDelivery): Promise<Outcome> {
    const channel = this.deps.channels.get(delivery.channel);
    if (!channel) {
      return {
        state: 'skipped',
        why: `No chat channel '${delivery.channel}' is installed`,
      };
    }
    const ctx: AccessChatCallContext = {
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      logger: this.deps.logger,
    };
    try {
      const request = await this.deps.requests.byId(delivery.requestId);
      if (!request) {
        return { state: 'skipped', why: 'The request no longer exists' };
      }
      switch (delivery.kind) {
        case 'approval':
          return await this.postApproval(channel, delivery, request, ctx);
        case 'approval-update':
          return await this.updateApproval(channel, delivery, request, ctx);
        default:
          return await this.postUpdate(channel, delivery, request, ctx);
      }
    } catch (error) {
      return {
        error: error instanceof Error ? error.message : String(error),
        ...retryFacts(error),
      };
    }
  }

  private async addressOf(
    channel: AccessChatChannel,
    recipientRef: string | undefined,
    ctx: AccessChatCallContext,
  ) {
    const user = recipientRef
      ? (await this.deps.directory.users([recipientRef])).get(recipientRef)
      : undefined;
    if (!user) {
      return { why: `${recipientRef} is not a User in the catalog` };
    }
    const address = await channel.addressOf(user, ctx);
    return address
      ? { address }
      : { why: `${recipientRef} has no ${channel.id} identity` };
  }

  private async postApproval(
    channel: AccessChatChannel,
    delivery: ChatDelivery,
    request: AccessRequest,
    ctx: AccessChatCallContext,
  ): Promise<Outcome> {
    const stage = delivery.stage ?? 0;
    const recipientRef = delivery.recipientRef ?? '';
    const facts = await this.deps.facts.of(request);
    const view = approvalView(request, stage, recipientRef, facts);
    if (view.outcome) {
      return { state: 'skipped', why: 'The request no longer waits for them' };
    }
    const found = await this.addressOf(channel, recipientRef, ctx);
    if (!('address' in found)) {
      return { state: 'skipped', why: found.why };
    }
    const ref = await channel.postApproval(found.address!, view, ctx);
    await this.deps.store.saveMessage({
      requestId: request.id,
      channel: channel.id,
      recipientRef,
      stage,
      conversationId: ref.conversationId,
      messageId: ref.messageId,
      ...(ref.extra ? { extra: ref.extra } : {}),
    });
    // A decision made while the message was on its way: queue its update now.
    const now = await this.deps.requests.byId(request.id);
    if (now && stateOf(now) !== stateOf(request)) {
      await this.deps.outbox.requestChanged(
        now,
        { status: now.status, stage: now.currentStage },
        async () => [],
      );
    }
    return { state: 'sent' };
  }

  private async updateApproval(
    channel: AccessChatChannel,
    delivery: ChatDelivery,
    request: AccessRequest,
    ctx: AccessChatCallContext,
  ): Promise<Outcome> {
    const message = delivery.messageRefId
      ? await this.deps.store.message(delivery.messageRefId)
      : undefined;
    if (!message) {
      return { state: 'skipped', why: 'The message is no longer known' };
    }
    const facts: ViewFacts = await this.deps.facts.of(request);
    await channel.updateApproval(
      {
        conversationId: message.conversationId,
        messageId: message.messageId,
        ...(message.extra ? { extra: message.extra as never } : {}),
      },
      approvalView(request, message.stage, message.recipientRef, facts),
      ctx,
    );
    return { state: 'sent' };
  }

  private async postUpdate(
    channel: AccessChatChannel,
    delivery: ChatDelivery,
    request: AccessRequest,
    ctx: AccessChatCallContext,
  ): Promise<Outcome> {
    const found = await this.addressOf(channel, delivery.recipientRef, ctx);
    if (!('address' in found)) {
      return { state: 'skipped', why: found.why };
    }
    const view = requesterUpdateView(
      request,
      (delivery.updateKind ?? 'failed') as AccessChatRequesterUpdateKind,
      await this.deps.facts.of(request),
    );
    await channel.postRequesterUpdate(found.address!, view, ctx);
    return { state: 'sent' };
  }

  /** Queues "expiring soon" for access that ends within the window (once per end). */
  private async queueEndingSoon(): Promise<void> {
    const now = this.now();
    if (now.getTime() - this.lastEndingScan < 60_000) {
      return;
    }
    this.lastEndingScan = now.getTime();
    const ending = await this.deps.store.endingBetween(
      now,
      new Date(now.getTime() + this.deps.expiringSoonMs),
    );
    for (const { requestId, endsAt } of ending) {
      const request = await this.deps.requests.byId(requestId);
      if (request?.status === 'active') {
        await this.deps.outbox.requesterUpdate(
          request,
          'expiring-soon',
          `expiring-soon:${endsAt.toISOString()}`,
        );
      }
    }
  }
}

/** What a rendered message depends on, to tell whether it is out of date. */
function stateOf(request: AccessRequest): string {
  return `${request.status}:${request.currentStage}:${request.approvals.length}`;
}
