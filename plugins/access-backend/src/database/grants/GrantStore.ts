import { GrantState } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { lockRows, isPostgres } from '../rowLock';
import { FulfilmentTaskStore } from '../tasks/FulfilmentTaskStore';
import {
  GrantPatch,
  GrantRecord,
  toGrantColumns,
  toGrantRecord,
} from './grantRecord';
import { GrantRow, WORKING_STATES } from './grantRow';
import { assertGrantMove } from './grantTransitions';

export type { GrantPatch, GrantRecord } from './grantRecord';
export { LIVE_STATES, WORKING_STATES } from './grantRow';

/** Values that survive a trip through JSON into their column unchanged (no raw SQL). */
const isPlainValue = (value: unknown) =>
  value === null ||
  value instanceof Date ||
  ['string', 'number', 'boolean'].includes(typeof value);

/** What writing a grant's outcome came to: written, or the grant as someone else left it. */
export type FinishResult = { ok: true } | { ok: false; current?: GrantRecord };

/** The moves a claim makes; other claimed grants keep their state, with a new lease. */
export const CLAIM_MOVES = {
  queued: 'granting',
  active: 'revoking',
} as const satisfies Partial<Record<GrantState, GrantState>>;

/** The moves that begin ending a request's access. */
export const REVOCATION_MOVES = {
  pending: 'cancelled',
  queued: 'cancelled',
  granting: 'revoking',
  active: 'revoking',
} as const satisfies Partial<Record<GrantState, GrantState>>;

const movingTo = (
  moves: Partial<Record<GrantState, GrantState>>,
  to: GrantState,
) =>
  Object.entries(moves)
    .filter(([, target]) => target === to)
    .map(([from]) => from as GrantState);

/**
 * The grants, and the only writer of `access_grants.state`: every move is checked against the
 * grant transition table (database/grants/grantTransitions.ts), and row moves are a
 * compare-and-set on `version`.
 *
 * It is also the engine's outbox: grants whose work is due. A claim takes a lease (the next attempt
 * moves to the end of the lease), so a worker that dies mid-call leaves work that becomes due
 * again when its lease runs out, and two workers never hold the same grant: PostgreSQL skips rows
 * another transaction has locked, SQLite has a single writer.
 */
export class GrantStore {
  constructor(private readonly db: Knex) {}

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /**
   * Claims up to `limit` grants with work due: queued, retrying or revoking grants whose next
   * attempt has come, and active grants whose end has come (they become `revoking`, ending as
   * `expired`), so that revocation at the end takes one statement, not a transaction per request.
   */
  async claimDue(options: {
    now: Date;
    leaseMs: number;
    limit: number;
  }): Promise<GrantRecord[]> {
    const { now, leaseMs, limit } = options;
    const leaseEnd = new Date(now.getTime() + leaseMs);
    if (isPostgres(this.db)) {
      const working = WORKING_STATES.map(state => `'${state}'`).join(', ');
      const result = await this.db.raw(
        // Each kind of due work is read in the order of its own index and cut at the limit
        // (one OR ordered by either column would read and sort every due row, for each batch
        // of a mass expiry); the soonest of both make the batch.
        `WITH working AS (
           SELECT id, next_attempt_at AS due_at FROM access_grants
           WHERE state IN (${working}) AND next_attempt_at <= :now
           ORDER BY next_attempt_at
           LIMIT :limit
           FOR UPDATE SKIP LOCKED
         ), ending AS (
           SELECT id, expires_at AS due_at FROM access_grants
           WHERE state = 'active' AND expires_at <= :now
           ORDER BY expires_at
           LIMIT :limit
           FOR UPDATE SKIP LOCKED
         ), due AS (
           SELECT id FROM (SELECT * FROM working UNION ALL SELECT * FROM ending) AS d
           ORDER BY due_at
           LIMIT :limit
         )
         UPDATE access_grants AS g SET
           state = CASE g.state WHEN 'queued' THEN '${CLAIM_MOVES.queued}'
                                WHEN 'active' THEN '${CLAIM_MOVES.active}' ELSE g.state END,
           end_reason = CASE WHEN g.state = 'active' THEN 'expired' ELSE g.end_reason END,
           attempts = CASE WHEN g.state = 'active' THEN 1 ELSE g.attempts + 1 END,
           version = g.version + 1,
           next_attempt_at = :leaseEnd
         FROM due WHERE g.id = due.id
         RETURNING g.*`,
        { now, limit, leaseEnd },
      );
      return (result.rows as GrantRow[]).map(toGrantRecord);
    }
    // SQLite: one writer at a time, so read-then-write in a transaction is a claim.
    return this.db.transaction(async tx => {
      const due = await tx<GrantRow>('access_grants')
        .where(q =>
          q
            .where(w =>
              w
                .whereIn('state', WORKING_STATES)
                .where('next_attempt_at', '<=', now),
            )
            .orWhere(w =>
              w.where('state', 'active').where('expires_at', '<=', now),
            ),
        )
        .orderByRaw('coalesce(next_attempt_at, expires_at)')
        .limit(limit);
      const claimed: GrantRecord[] = [];
      for (const grant of due) {
        const expiring = grant.state === 'active';
        const patch: Partial<GrantRow> = {
          state:
            CLAIM_MOVES[grant.state as keyof typeof CLAIM_MOVES] ?? grant.state,
          ...(expiring ? { end_reason: 'expired' as const } : {}),
          attempts: expiring ? 1 : grant.attempts + 1,
          version: grant.version + 1,
          next_attempt_at: leaseEnd,
        };
        await tx('access_grants')
          .where({ id: grant.id, version: grant.version })
          .update(patch);
        claimed.push(toGrantRecord({ ...grant, ...patch }));
      }
      return claimed;
    });
  }

  /**
   * Writes the outcome of a claimed grant's work, if the grant is still as claimed. Returns the
   * grant as it is now when someone changed it meanwhile (a revocation during a grant call).
   */
  async finish(
    tx: Knex.Transaction,
    claimed: GrantRecord,
    patch: GrantPatch,
  ): Promise<FinishResult> {
    const [result] = await this.finishMany(tx, [{ claimed, patch }]);
    return result;
  }

  /**
   * {@link GrantStore.finish} for many grants, in their order. On PostgreSQL, outcomes that change
   * the same columns are written by one UPDATE joined to their rows (read from JSON into the
   * table's own row type); on SQLite, row by row. Throws a ConflictError (writing nothing) when
   * an outcome moves its grant where the transition table does not allow.
   */
  async finishMany(
    tx: Knex.Transaction,
    moves: ReadonlyArray<{ claimed: GrantRecord; patch: GrantPatch }>,
  ): Promise<FinishResult[]> {
    for (const { claimed, patch } of moves) {
      if (patch.state) {
        assertGrantMove(claimed.id, claimed.state, patch.state);
      }
    }
    const outcomes = moves.map(({ claimed, patch }) => ({
      claimed,
      patch: toGrantColumns(patch),
    }));
    const written = new Set<number>();
    const unique =
      new Set(outcomes.map(o => o.claimed.id)).size === outcomes.length;
    const groups = new Map<string, number[]>();
    outcomes.forEach(({ patch }, n) => {
      const plain = Object.values(patch).every(isPlainValue);
      const shape =
        unique && plain && isPostgres(tx)
          ? Object.keys(patch).sort().join(',')
          : `#${n}`; // written on its own
      groups.set(shape, [...(groups.get(shape) ?? []), n]);
    });
    for (const [shape, members] of groups) {
      if (shape.startsWith('#')) {
        const { claimed, patch } = outcomes[members[0]];
        const updated = await tx('access_grants')
          .where({ id: claimed.id, version: claimed.version })
          .update({ ...patch, version: claimed.version + 1 });
        if (updated === 1) {
          written.add(members[0]);
        }
        continue;
      }
      const columns = Object.keys(outcomes[members[0]].patch).filter(
        c => c !== 'version',
      );
      for (let i = 0; i < members.length; i += 1000) {
        const chunk = members.slice(i, i + 1000);
        const byId = new Map(chunk.map(n => [outcomes[n].claimed.id, n]));
        const rows = chunk.map(n => ({
          ...outcomes[n].patch,
          id: outcomes[n].claimed.id,
          version: outcomes[n].claimed.version,
        }));
        const result = await tx.raw(
          `UPDATE access_grants AS g SET ${columns
            .map(() => '?? = v.??, ')
            .join('')}version = v.version + 1
           FROM json_populate_recordset(null::access_grants, ?::json) AS v
           WHERE g.id = v.id AND g.version = v.version
           RETURNING g.id`,
          [...columns.flatMap(c => [c, c]), JSON.stringify(rows)],
        );
        for (const row of result.rows as { id: string }[]) {
          written.add(byId.get(row.id)!);
        }
      }
    }
    const missed = outcomes.filter((_, n) => !written.has(n));
    const current = new Map<string, GrantRecord>();
    for (let i = 0; i < missed.length; i += 500) {
      const rows = await tx<GrantRow>('access_grants').whereIn(
        'id',
        missed.slice(i, i + 500).map(o => o.claimed.id),
      );
      rows.forEach(row => current.set(row.id, toGrantRecord(row)));
    }
    return outcomes.map(({ claimed }, n) =>
      written.has(n)
        ? { ok: true as const }
        : { ok: false as const, current: current.get(claimed.id) },
    );
  }

  /**
   * A grant whose call succeeded after its access was ended (revoked, expired or cancelled
   * meanwhile) must not leave access behind: it is queued for revocation again, if it is still as
   * read. Returns whether it was.
   */
  async revokeAgain(
    tx: Knex.Transaction,
    current: GrantRecord,
    now: Date,
  ): Promise<boolean> {
    assertGrantMove(current.id, current.state, 'revoking');
    const updated = await tx('access_grants')
      .where({ id: current.id, version: current.version })
      .update({
        state: 'revoking',
        end_reason: current.state === 'expired' ? 'expired' : 'revoked',
        attempts: 0,
        next_attempt_at: now,
        version: current.version + 1,
      });
    return updated === 1;
  }

  /**
   * The work a person did for a grant (a completed fulfilment task): a grant becomes active, a
   * revocation ends the grant as it was meant to end. Returns whether the grant was still as read.
   */
  async completeByPeople(
    tx: Knex.Transaction,
    grant: GrantRecord,
    action: 'grant' | 'revoke',
    now: Date,
  ): Promise<boolean> {
    const patch: GrantPatch =
      action === 'grant'
        ? {
            state: 'active',
            grantedAt: now,
            lastError: null,
            nextAttemptAt: null,
          }
        : {
            state: grant.endReason ?? 'revoked',
            revokedAt: now,
            nextAttemptAt: null,
          };
    assertGrantMove(grant.id, grant.state, patch.state!);
    const updated = await tx('access_grants')
      .where({ id: grant.id, version: grant.version })
      .update({ ...toGrantColumns(patch), version: grant.version + 1 });
    return updated === 1;
  }

  /**
   * Moves every grant of a request to `to` (queued at approval, cancelled when the request is
   * rejected, cancelled or revoked before any work), with other columns that change with it.
   * Throws a ConflictError, writing nothing, when one of them may not move there.
   */
  async moveAllOfRequest(
    tx: Knex.Transaction,
    requestId: string,
    to: GrantState,
    extra: Partial<Omit<GrantRow, 'id' | 'state' | 'version'>> = {},
  ): Promise<void> {
    const grants = await lockRows(
      tx,
      tx<GrantRow>('access_grants')
        .where({ request_id: requestId })
        .orderBy('id'),
    );
    grants.forEach(grant => assertGrantMove(grant.id, grant.state, to));
    await tx('access_grants')
      .where({ request_id: requestId })
      .update({ state: to, ...extra, version: tx.raw('version + 1') });
  }

  /** Moves the end of a request's grants that are (or will be) active (an extension). */
  async moveEnds(
    tx: Knex.Transaction,
    requestId: string,
    newEnd: Date,
  ): Promise<void> {
    await tx('access_grants')
      .where({ request_id: requestId })
      .whereIn('state', ['active', 'granting', 'queued'])
      .update({ expires_at: newEnd, version: tx.raw('version + 1') });
  }

  /**
   * Starts ending a request's access: grants not yet claimed are cancelled, grants being granted
   * or active are queued for revocation now, with what they end as.
   */
  async beginRevocation(
    tx: Knex.Transaction,
    requestId: string,
    endReason: 'expired' | 'revoked',
    now: Date,
  ): Promise<void> {
    await this.beginRevocations(tx, [requestId], endReason, now);
  }

  /** {@link GrantStore.beginRevocation} for many requests, a few statements per 500 of them. */
  async beginRevocations(
    tx: Knex.Transaction,
    requestIds: readonly string[],
    endReason: 'expired' | 'revoked',
    now: Date,
  ): Promise<void> {
    const tasks = new FulfilmentTaskStore(tx);
    for (let i = 0; i < requestIds.length; i += 500) {
      const ids = requestIds.slice(i, i + 500);
      await tx('access_grants')
        .whereIn('request_id', ids)
        .whereIn('state', movingTo(REVOCATION_MOVES, 'cancelled'))
        .update({
          state: 'cancelled',
          next_attempt_at: null,
          version: tx.raw('version + 1'),
        });
      await tx('access_grants')
        .whereIn('request_id', ids)
        .whereIn('state', movingTo(REVOCATION_MOVES, 'revoking'))
        .update({
          state: 'revoking',
          end_reason: endReason,
          attempts: 0,
          next_attempt_at: now,
          version: tx.raw('version + 1'),
        });
      // Grant work handed to people is called off; the revocation makes its own task if needed.
      await tasks.cancelOpenGrantTasks(tx, ids, now);
    }
  }

  async get(id: string, db: Knex = this.db): Promise<GrantRecord | undefined> {
    const row = await db<GrantRow>('access_grants').where({ id }).first();
    return row && toGrantRecord(row);
  }

  async forRequest(
    requestId: string,
    db: Knex = this.db,
  ): Promise<GrantRecord[]> {
    const rows = await db<GrantRow>('access_grants').where({
      request_id: requestId,
    });
    return rows.map(toGrantRecord);
  }
}
