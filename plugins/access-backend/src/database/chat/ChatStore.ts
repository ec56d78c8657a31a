import { Page } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { readDate } from '../../lib/dates';
import { newestFirstPage } from '../newestFirst';

/** What a chat delivery does. */
export type ChatDeliveryKind =
  | 'approval'
  | 'approval-update'
  | 'requester-update';

/** Where a delivery stands: waiting (or retrying), done, nobody to send to, or given up. */
export type ChatDeliveryState = 'pending' | 'sent' | 'skipped' | 'failed';

/** A message to send or update, as it is queued. */
export interface NewChatDelivery {
  /** The same key is queued once (a second enqueue is ignored). */
  dedupeKey: string;
  channel: string;
  kind: ChatDeliveryKind;
  requestId: string;
  recipientRef?: string;
  stage?: number;
  messageRefId?: string;
  updateKind?: string;
}

export interface ChatDelivery extends NewChatDelivery {
  id: string;
  state: ChatDeliveryState;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A posted approval message, kept to update it in place. */
export interface ChatMessage {
  id: string;
  requestId: string;
  channel: string;
  recipientRef: string;
  stage: number;
  conversationId: string;
  messageId: string;
  extra?: Record<string, unknown>;
}

interface DeliveryRow {
  id: string;
  dedupe_key: string;
  channel: string;
  kind: ChatDeliveryKind;
  request_id: string;
  recipient_ref: string | null;
  stage: number | null;
  message_ref_id: string | null;
  update_kind: string | null;
  state: ChatDeliveryState;
  attempts: number;
  next_attempt_at: Date | number | string;
  last_error: string | null;
  created_at: Date | number;
  updated_at: Date | number | string;
}

interface MessageRow {
  id: string;
  request_id: string;
  channel: string;
  recipient_ref: string;
  stage: number;
  conversation_id: string;
  message_id: string;
  extra: string | null;
}

function toDelivery(row: DeliveryRow): ChatDelivery {
  return {
    id: row.id,
    dedupeKey: row.dedupe_key,
    channel: row.channel,
    kind: row.kind,
    requestId: row.request_id,
    ...(row.recipient_ref ? { recipientRef: row.recipient_ref } : {}),
    ...(row.stage !== null ? { stage: Number(row.stage) } : {}),
    ...(row.message_ref_id ? { messageRefId: row.message_ref_id } : {}),
    ...(row.update_kind ? { updateKind: row.update_kind } : {}),
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: readDate(row.next_attempt_at),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: readDate(row.created_at),
    updatedAt: readDate(row.updated_at),
  };
}

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    requestId: row.request_id,
    channel: row.channel,
    recipientRef: row.recipient_ref,
    stage: Number(row.stage),
    conversationId: row.conversation_id,
    messageId: row.message_id,
    ...(row.extra ? { extra: JSON.parse(row.extra) } : {}),
  };
}

/**
 * The chat outbox (access_chat_deliveries) and the references of posted approval messages
 * (access_chat_messages). A delivery is claimed by moving its next attempt to the end of a lease
 * with compare-and-set, so two instances never send the same message at once.
 */
export class ChatStore {
  constructor(private readonly db: Knex) {}

  /** Queues deliveries; one whose dedupe key is queued already is left out. */
  async enqueue(deliveries: NewChatDelivery[], now: Date): Promise<number> {
    let queued = 0;
    for (const d of deliveries) {
      const inserted = await this.db('access_chat_deliveries')
        .insert({
          id: randomUUID(),
          dedupe_key: d.dedupeKey,
          channel: d.channel,
          kind: d.kind,
          request_id: d.requestId,
          recipient_ref: d.recipientRef ?? null,
          stage: d.stage ?? null,
          message_ref_id: d.messageRefId ?? null,
          update_kind: d.updateKind ?? null,
          state: 'pending',
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        })
        .onConflict('dedupe_key')
        .ignore()
        .returning('id');
      queued += inserted.length;
    }
    return queued;
  }

  /** Pending deliveries whose next attempt has come, oldest first. */
  async due(now: Date, limit: number): Promise<ChatDelivery[]> {
    const rows = await this.db<DeliveryRow>('access_chat_deliveries')
      .where('state', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit);
    return rows.map(toDelivery);
  }

  /** The earliest next attempt of a pending delivery, if any. */
  async nextDue(): Promise<Date | undefined> {
    const row = await this.db('access_chat_deliveries')
      .where('state', 'pending')
      .min({ at: 'next_attempt_at' })
      .first();
    return row?.at ? readDate(row.at) : undefined;
  }

  /** Takes a due delivery until `leaseUntil`; false when another worker took it first. */
  async claim(delivery: ChatDelivery, leaseUntil: Date): Promise<boolean> {
    const updated = await this.db('access_chat_deliveries')
      .where({ id: delivery.id, state: 'pending', attempts: delivery.attempts })
      .update({
        next_attempt_at: leaseUntil,
        attempts: delivery.attempts + 1,
        updated_at: new Date(),
      });
    return updated === 1;
  }

  /** Settles a claimed delivery: sent, skipped, failed, or pending again at `nextAttemptAt`. */
  async settle(
    id: string,
    outcome: {
      state: ChatDeliveryState;
      error?: string;
      nextAttemptAt?: Date;
    },
    now: Date,
  ): Promise<void> {
    await this.db('access_chat_deliveries')
      .where({ id })
      .update({
        state: outcome.state,
        // A success keeps the last error: admins see what a delivery went through.
        ...(outcome.error !== undefined
          ? { last_error: outcome.error.slice(0, 2000) }
          : {}),
        ...(outcome.nextAttemptAt
          ? { next_attempt_at: outcome.nextAttemptAt }
          : {}),
        updated_at: now,
      });
  }

  async delivery(id: string): Promise<ChatDelivery | undefined> {
    const row = await this.db<DeliveryRow>('access_chat_deliveries')
      .where({ id })
      .first();
    return row ? toDelivery(row) : undefined;
  }

  /**
   * Puts a failed delivery back in the queue, due now, with its attempts counted from zero (its
   * last error is kept). Compare-and-set on the state: false when the delivery is not failed (or
   * not there).
   */
  async requeueFailed(id: string, now: Date): Promise<boolean> {
    const updated = await this.db('access_chat_deliveries')
      .where({ id, state: 'failed' })
      .update({
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        updated_at: now,
      });
    return updated === 1;
  }

  /** Deliveries for admins, newest first, optionally in one state. */
  async page(query: {
    state?: ChatDeliveryState;
    limit: number;
    cursor?: string;
  }): Promise<Page<ChatDelivery>> {
    const base = this.db('access_chat_deliveries');
    if (query.state) {
      base.where('state', query.state);
    }
    const page = await newestFirstPage<DeliveryRow>(
      base,
      query.limit,
      query.cursor,
    );
    return { items: page.items.map(toDelivery), nextCursor: page.nextCursor };
  }

  /** Keeps a posted message's reference; an existing one for the same slot is replaced. */
  async saveMessage(message: Omit<ChatMessage, 'id'>): Promise<ChatMessage> {
    const id = randomUUID();
    await this.db('access_chat_messages')
      .insert({
        id,
        request_id: message.requestId,
        channel: message.channel,
        recipient_ref: message.recipientRef,
        stage: message.stage,
        conversation_id: message.conversationId,
        message_id: message.messageId,
        extra: message.extra ? JSON.stringify(message.extra) : null,
        created_at: new Date(),
      })
      .onConflict(['request_id', 'channel', 'recipient_ref', 'stage'])
      .merge(['conversation_id', 'message_id', 'extra']);
    const row = await this.db<MessageRow>('access_chat_messages')
      .where({
        request_id: message.requestId,
        channel: message.channel,
        recipient_ref: message.recipientRef,
        stage: message.stage,
      })
      .first();
    return toMessage(row!);
  }

  async message(id: string): Promise<ChatMessage | undefined> {
    const row = await this.db<MessageRow>('access_chat_messages')
      .where({ id })
      .first();
    return row ? toMessage(row) : undefined;
  }

  /** Every approval message posted for a request. */
  async messagesOf(requestId: string): Promise<ChatMessage[]> {
    const rows = await this.db<MessageRow>('access_chat_messages')
      .where({ request_id: requestId })
      .orderBy(['stage', 'recipient_ref', 'channel']);
    return rows.map(toMessage);
  }

  /** Requests with active access whose first grant ends within (now, until], and when. */
  async endingBetween(
    now: Date,
    until: Date,
  ): Promise<Array<{ requestId: string; endsAt: Date }>> {
    const rows = await this.db('access_grants')
      .where('state', 'active')
      .where('expires_at', '>', now)
      .where('expires_at', '<=', until)
      .groupBy('request_id')
      .select('request_id')
      .min({ ends_at: 'expires_at' })
      .limit(500);
    return (rows as Array<{ request_id: string; ends_at: Date | number }>).map(
      row => ({
        requestId: row.request_id,
        endsAt: readDate(row.ends_at),
      }),
    );
  }
}
