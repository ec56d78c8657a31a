import { LoggerService } from '@backstage/backend-plugin-api';
import { AccessRequest, RequestStatus } from '@jit-access/plugin-access-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ChatDelivery,
  ChatStore,
  NewChatDelivery,
} from '../database/chat/ChatStore';

/** A change of a request that its requester (and grantee) hear of in chat. */
export type RequesterUpdateKind =
  | 'approved'
  | 'rejected'
  | 'failed'
  | 'expiring-soon'
  | 'expired'
  | 'revoked';

/** Which requester update a move to `status` is, if any ("approved" once the access is there). */
export function requesterUpdateKind(
  status: RequestStatus,
): RequesterUpdateKind | undefined {
  switch (status) {
    case 'active':
      return 'approved';
    case 'rejected':
    case 'failed':
    case 'expired':
    case 'revoked':
      return status;
    default:
      return undefined;
  }
}

/** The deliveries a change of a request queues (pure: no database, no clock). */
export function chatDeliveriesFor(input: {
  request: AccessRequest;
  before?: { status: RequestStatus; stage: number };
  /** The current stage's approvers who may still decide it. */
  waitingFor: string[];
  /** The approval messages posted for the request so far. */
  messages: Array<{ id: string; channel: string }>;
  channels: string[];
}): NewChatDelivery[] {
  const { request, before, waitingFor, messages, channels } = input;
  const out: NewChatDelivery[] = [];
  const newStage =
    request.status === 'pending_approval' &&
    (!before ||
      before.status !== 'pending_approval' ||
      before.stage !== request.currentStage);
  if (newStage) {
    for (const channel of channels) {
      for (const recipientRef of waitingFor) {
        out.push({
          dedupeKey: `approval:${request.id}:${request.currentStage}:${recipientRef}:${channel}`,
          channel,
          kind: 'approval',
          requestId: request.id,
          recipientRef,
          stage: request.currentStage,
        });
      }
    }
  }
  // Every posted message is rewritten once per state of the request it has not shown yet.
  const state = `${request.status}:${request.currentStage}:${request.approvals.length}`;
  for (const message of messages) {
    out.push({
      dedupeKey: `update:${message.id}:${state}`,
      channel: message.channel,
      kind: 'approval-update',
      requestId: request.id,
      messageRefId: message.id,
    });
  }
  const kind =
    before && before.status !== request.status
      ? requesterUpdateKind(request.status)
      : undefined;
  if (kind) {
    out.push(...requesterUpdates(request, kind, channels, kind));
  }
  return out;
}

/** A requester update for the requester and the grantee, on every channel. */
export function requesterUpdates(
  request: Pick<AccessRequest, 'id' | 'requesterRef' | 'granteeRef'>,
  kind: RequesterUpdateKind,
  channels: string[],
  occasion: string,
): NewChatDelivery[] {
  return channels.flatMap(channel =>
    [...new Set([request.requesterRef, request.granteeRef])].map(
      recipientRef => ({
        dedupeKey: `requester:${request.id}:${occasion}:${recipientRef}:${channel}`,
        channel,
        kind: 'requester-update' as const,
        requestId: request.id,
        recipientRef,
        updateKind: kind,
      }),
    ),
  );
}

/**
 * Queues chat messages for changes of requests, in the chat outbox that the chat delivery job
 * works through. Queuing never fails the change that caused it: a failure is logged, and the
 * request goes on as it would without chat.
 */
export class ChatOutbox {
  constructor(
    private readonly deps: {
      store: ChatStore;
      /** The installed chat channels' ids (none: nothing is queued). */
      channels: () => string[];
      logger: LoggerService;
      /** Called when something was queued, to deliver it soon. */
      onQueued?: () => void;
      now?: () => Date;
    },
  ) {}

  get enabled(): boolean {
    return this.deps.channels().length > 0;
  }

  /** The installed chat channels' ids. */
  channels(): string[] {
    return this.deps.channels();
  }

  /** Queues what a request's change calls for: approvals, updates, a requester's update. */
  async requestChanged(
    request: AccessRequest,
    before: { status: RequestStatus; stage: number } | undefined,
    waitingFor: () => Promise<string[]>,
  ): Promise<void> {
    if (!this.enabled) {
      return;
    }
    await this.safely(request.id, async () =>
      chatDeliveriesFor({
        request,
        before,
        waitingFor:
          request.status === 'pending_approval' ? await waitingFor() : [],
        messages: await this.deps.store.messagesOf(request.id),
        channels: this.deps.channels(),
      }),
    );
  }

  /** Queues one requester update (e.g. expiring soon), once per `occasion`. */
  async requesterUpdate(
    request: Pick<AccessRequest, 'id' | 'requesterRef' | 'granteeRef'>,
    kind: RequesterUpdateKind,
    occasion: string,
  ): Promise<void> {
    if (!this.enabled) {
      return;
    }
    await this.safely(request.id, async () =>
      requesterUpdates(request, kind, this.deps.channels(), occasion),
    );
  }

  /**
   * Queues a failed delivery again (an admin's retry): the delivery job sends it as if it were
   * new, with the retry policy's attempts. 404 for an unknown id; 409 unless it failed, or when
   * its chat channel is no longer installed (it could only be skipped).
   */
  async retryFailed(id: string): Promise<ChatDelivery> {
    const delivery = await this.deps.store.delivery(id);
    if (!delivery) {
      throw new NotFoundError(`No chat delivery ${id}`);
    }
    const notFailed = (state: string) =>
      new ConflictError(
        `Chat delivery ${id} is ${state}: only a failed delivery can be retried`,
      );
    if (delivery.state !== 'failed') {
      throw notFailed(delivery.state);
    }
    if (!this.deps.channels().includes(delivery.channel)) {
      throw new ConflictError(
        `Chat delivery ${id} cannot be retried: no '${delivery.channel}' chat channel is installed`,
      );
    }
    const now = this.deps.now?.() ?? new Date();
    if (!(await this.deps.store.requeueFailed(id, now))) {
      // Another admin retried it first.
      throw notFailed((await this.deps.store.delivery(id))?.state ?? 'gone');
    }
    // Read before waking the job: the answer is the delivery as queued, not mid-send.
    const queued = await this.deps.store.delivery(id);
    this.deps.onQueued?.();
    return queued!;
  }

  private async safely(
    requestId: string,
    deliveries: () => Promise<NewChatDelivery[]>,
  ): Promise<void> {
    try {
      const queued = await this.deps.store.enqueue(
        await deliveries(),
        this.deps.now?.() ?? new Date(),
      );
      if (queued > 0) {
        this.deps.onQueued?.();
      }
    } catch (error) {
      this.deps.logger.warn(
        `Could not queue chat messages for request ${requestId}: ${error}`,
      );
    }
  }
}
