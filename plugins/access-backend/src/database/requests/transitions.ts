import { ConflictError } from '@backstage/errors';
import { RequestStatus } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { appendAuditEvents } from '../audit';
import { isPostgres } from '../rowLock';
import {
  RequestPatch,
  RequestRecord,
  RequestRow,
  RequestState,
  toPatchColumns,
} from './requestRows';

/**
 * The request status machine. This module is the only writer of `access_requests.status`: every
 * change is a compare-and-set on `version`, with its audit event in the same transaction.
 */
const ALLOWED: Record<RequestStatus, readonly RequestStatus[]> = {
  // pending_approval -> pending_approval moves to the next approval stage.
  pending_approval: [
    'pending_approval',
    'scheduled',
    'granting',
    'rejected',
    'cancelled',
    'failed',
  ],
  scheduled: ['granting', 'cancelled', 'revoked'],
  granting: ['active', 'failed', 'revoking'],
  // active -> active is an extension.
  active: ['active', 'revoking'],
  revoking: ['expired', 'revoked', 'failed'],
  expired: [],
  revoked: [],
  rejected: [],
  cancelled: [],
  failed: [],
};

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return ALLOWED[from].includes(to);
}

export interface Transition {
  to: RequestStatus;
  actorRef: string;
  /** What happened, for the audit log: approve, reject, cancel, advance-stage, ... */
  action: string;
  reason?: string;
  details?: Record<string, unknown>;
  /** Other columns that change with the status. */
  patch?: Partial<Omit<RequestRow, 'id' | 'status' | 'version'>>;
  at: Date;
}

/** One request, as it was read, and where it moves. */
export interface RequestTransition<
  R extends Pick<RequestRow, 'id' | 'status' | 'version'> = RequestRow,
> {
  current: R;
  transition: Transition;
}

/** A transition of a request read as a record: the other columns it changes, by their names. */
export interface RecordTransition extends Omit<Transition, 'patch'> {
  patch?: RequestPatch;
}

/**
 * Moves a request read as a record (see {@link applyTransition}); returns the record as it is
 * now.
 */
export async function transitionRequest(
  tx: Knex.Transaction,
  current: RequestRecord,
  transition: RecordTransition,
): Promise<RequestRecord> {
  const [moved] = await transitionRequests(tx, [{ current, transition }]);
  return moved;
}

/**
 * Moves many requests read as records (or as their states alone), in one batch (see
 * {@link applyTransitions}); returns each move's request as the move leaves it.
 */
export async function transitionRequests<
  R extends RequestState = RequestRecord,
>(
  tx: Knex.Transaction,
  moves: ReadonlyArray<{
    current: R;
    transition: RecordTransition;
  }>,
): Promise<R[]> {
  await applyTransitions(
    tx,
    moves.map(({ current, transition: { patch, ...rest } }) => ({
      current,
      transition: {
        ...rest,
        ...(patch ? { patch: toPatchColumns(patch) } : {}),
      },
    })),
  );
  return moves.map(movedRecord);
}

/** A request read as a record (or as its state), as a move leaves it. */
export function movedRecord<R extends RequestState = RequestRecord>({
  current,
  transition,
}: {
  current: R;
  transition: RecordTransition;
}): R {
  const { patch } = transition;
  return {
    ...current,
    ...patch,
    endsAt:
      patch && 'endsAt' in patch ? patch.endsAt ?? undefined : current.endsAt,
    status: transition.to,
    ...(transition.reason !== undefined
      ? { statusReason: transition.reason }
      : {}),
    version: current.version + 1,
    updatedAt: transition.at,
  } as R;
}

/**
 * Moves a request from the state it was read in to `transition.to`. Throws a ConflictError naming
 * the current status when the move is not allowed, or when the request changed since it was read.
 * A batch of one of {@link applyTransitions}.
 */
export async function applyTransition(
  tx: Knex.Transaction,
  current: RequestRow,
  transition: Transition,
): Promise<RequestRow> {
  const [moved] = await applyTransitions(tx, [{ current, transition }]);
  return moved;
}

type Values = Record<string, unknown>;

/** Values that survive a trip through JSON into their column unchanged (no raw SQL). */
const isPlainValue = (value: unknown) =>
  value === null ||
  value instanceof Date ||
  ['string', 'number', 'boolean'].includes(typeof value);

/**
 * Moves many requests at once: every move is checked, each request is updated with
 * compare-and-set on the version it was read with, and the audit events are appended in one go in
 * the order of `moves`. A request may move more than once in a batch (to revoking, then on to
 * expired): its moves follow each other in order, each from where the one before left it, and it
 * is written once, with the last status and every patch, its version raised by the number of
 * moves. If any move is not allowed or any request changed since it was read, a ConflictError is
 * thrown and the caller's transaction should roll back; nothing of the batch counts then. Returns
 * each move's request as the move leaves it, in the order of `moves`.
 *
 * On PostgreSQL, requests whose writes change the same columns are written by one UPDATE joined to
 * their rows (read from JSON into the table's own row type, so each value gets its column's type);
 * on SQLite, which has one writer at a time, row by row.
 */
export async function applyTransitions<
  R extends Pick<RequestRow, 'id' | 'status' | 'version'> = RequestRow,
>(tx: Knex.Transaction, moves: readonly RequestTransition<R>[]): Promise<R[]> {
  const { writes, after } = planTransitions(moves);
  const updates = [...writes.values()];
  const updated = new Set<string>();
  const groups = new Map<string, typeof updates>();
  for (const update of updates) {
    // Same columns and as many moves: the version compared with is the new one less that many.
    const shape = `${update.moves}:${Object.keys(update.next)
      .sort()
      .join(',')}`;
    groups.set(shape, [...(groups.get(shape) ?? []), update]);
  }
  for (const group of groups.values()) {
    const columns = Object.keys(group[0].next).filter(c => c !== 'version');
    const { moves: steps } = group[0];
    if (
      isPostgres(tx) &&
      group.every(({ next }) => Object.values(next).every(isPlainValue))
    ) {
      for (let i = 0; i < group.length; i += 1000) {
        const rows = group
          .slice(i, i + 1000)
          .map(({ current, next }) => ({ ...next, id: current.id }));
        const result = await tx.raw(
          `UPDATE access_requests AS r SET ${columns
            .map(() => '?? = v.??')
            .join(', ')}, version = v.version
           FROM json_populate_recordset(null::access_requests, ?::json) AS v
           WHERE r.id = v.id AND r.version = v.version - ?
           RETURNING r.id`,
          [...columns.flatMap(c => [c, c]), JSON.stringify(rows), steps],
        );
        (result.rows as { id: string }[]).forEach(row => updated.add(row.id));
      }
    } else {
      for (const { current, next } of group) {
        const count = await tx('access_requests')
          .where({ id: current.id, version: current.version })
          .update(next);
        if (count === 1) {
          updated.add(current.id);
        }
      }
    }
  }
  const changed = updates.find(({ current }) => !updated.has(current.id));
  if (changed) {
    const now = await tx<RequestRow>('access_requests')
      .where({ id: changed.current.id })
      .first();
    throw new ConflictError(
      `The request changed meanwhile; it is now ${now?.status ?? 'gone'}`,
    );
  }

  await appendAuditEvents(
    tx,
    moves.map(({ current, transition }) => {
      const { to, actorRef, action, reason, details, at } = transition;
      return {
        requestId: current.id,
        actorRef,
        action,
        fromStatus: current.status,
        toStatus: to,
        details: { ...details, ...(reason ? { reason } : {}) },
        at,
      };
    }),
  );
  return after;
}

/** A request's one write for the moves of a batch. */
interface PlannedWrite<R> {
  /** The request as read: the version the write compares with. */
  current: R;
  /** Every column the moves change, with the last status. */
  next: Values;
  /** How many moves the write stands for. */
  moves: number;
}

/** Checks a batch of moves in order and works out each request's one write. */
function planTransitions<
  R extends Pick<RequestRow, 'id' | 'status' | 'version'>,
>(
  moves: readonly RequestTransition<R>[],
): { writes: Map<string, PlannedWrite<R>>; after: R[] } {
  const writes = new Map<string, PlannedWrite<R>>();
  const after = moves.map(({ current, transition }) => {
    const { to, action, reason, patch, at } = transition;
    const write = writes.get(current.id);
    const from = write ? ({ ...write.current, ...write.next } as R) : current;
    if (current.version !== from.version) {
      throw new Error(
        'A later move of a request in a batch starts where the one before it left it',
      );
    }
    if (!canTransition(from.status, to)) {
      throw new ConflictError(
        `Cannot ${action} a request that is ${from.status}`,
      );
    }
    const next: Values = {
      ...write?.next,
      ...patch,
      status: to,
      ...(reason !== undefined ? { status_reason: reason } : {}),
      version: from.version + 1,
      updated_at: at,
    };
    writes.set(current.id, {
      current: write?.current ?? current,
      next,
      moves: (write?.moves ?? 0) + 1,
    });
    return { ...from, ...next } as R;
  });
  return { writes, after };
}
