import { GrantState } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { readOptionalDate } from '../lib/dates';

/** A row of access_grants: one (resource, permission) of a request and its provisioning. */
export interface GrantRow {
  id: string;
  request_id: string;
  resource_ref: string;
  permission: string;
  provisioner_id: string;
  grantee_ref: string | null;
  state: GrantState;
  version: number;
  external_id: string | null;
  attempts: number;
  next_attempt_at: Date | number | null;
  last_error: string | null;
  granted_at: Date | number | null;
  expires_at: Date | number | null;
  revoked_at: Date | number | null;
  end_reason: 'expired' | 'revoked' | null;
  credentials: string | null;
  credentials_state: 'none' | 'ready' | 'shown';
  missing_since: Date | number | null;
}

/** Grant states with provisioning work to do when their `next_attempt_at` comes. */
export const WORKING_STATES: GrantState[] = ['queued', 'granting', 'revoking'];

/** States in which a grant's access exists, or is about to. */
export const LIVE_STATES: GrantState[] = ['granting', 'active'];

const isPostgres = (db: Knex) => db.client.config.client === 'pg';

/** Values that survive a trip through JSON into their column unchanged (no raw SQL). */
const isPlainValue = (value: unknown) =>
  value === null ||
  value instanceof Date ||
  ['string', 'number', 'boolean'].includes(typeof value);

/** What writing a grant's outcome came to: written, or the grant as someone else left it. */
export type FinishResult = { ok: true } | { ok: false; current?: GrantRow };

/**
 * The engine's outbox: grants whose work is due. A claim takes a lease (the next attempt moves to
 * the end of the lease), so a worker that dies mid-call leaves work that becomes due again when
 * its lease runs out, and two workers never hold the same grant: PostgreSQL skips rows another
 * transaction has locked, SQLite has a single writer.
 */
export class GrantStore {
  constructor(private readonly db: Knex) {}

  /**
   * Claims up to `limit` grants with work due: queued, retrying or revoking grants whose next
   * attempt has come, and active grants whose end has come (they become `revoking`, ending as
   * `expired`), so that revocation at the end takes one statement, not a transaction per request.
   */
  async claimDue(options: {
    now: Date;
    leaseMs: number;
    limit: number;
  }): Promise<GrantRow[]> {
    const { now, leaseMs, limit } = options;
    const leaseEnd = new Date(now.getTime() + leaseMs);
    if (isPostgres(this.db)) {
      const working = WORKING_STATES.map(state => `'${state}'`).join(', ');
      const result = await this.db.raw(
        `WITH due AS (
           SELECT id FROM access_grants
           WHERE (state IN (${working}) AND next_attempt_at <= :now)
              OR (state = 'active' AND expires_at <= :now)
           ORDER BY coalesce(next_attempt_at, expires_at)
           LIMIT :limit
           FOR UPDATE SKIP LOCKED
         )
         UPDATE access_grants AS g SET
           state = CASE g.state WHEN 'queued' THEN 'granting'
                                WHEN 'active' THEN 'revoking' ELSE g.state END,
           end_reason = CASE WHEN g.state = 'active' THEN 'expired' ELSE g.end_reason END,
           attempts = CASE WHEN g.state = 'active' THEN 1 ELSE g.attempts + 1 END,
           version = g.version + 1,
           next_attempt_at = :leaseEnd
         FROM due WHERE g.id = due.id
         RETURNING g.*`,
        { now, limit, leaseEnd },
      );
      return result.rows as GrantRow[];
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
      const claimed: GrantRow[] = [];
      for (const grant of due) {
        const expiring = grant.state === 'active';
        const patch: Partial<GrantRow> = {
          state:
            ({ queued: 'granting', active: 'revoking' } as const)[
              grant.state as 'queued' | 'active'
            ] ?? grant.state,
          ...(expiring ? { end_reason: 'expired' as const } : {}),
          attempts: expiring ? 1 : grant.attempts + 1,
          version: grant.version + 1,
          next_attempt_at: leaseEnd,
        };
        await tx('access_grants')
          .where({ id: grant.id, version: grant.version })
          .update(patch);
        claimed.push({ ...grant, ...patch });
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
    claimed: GrantRow,
    patch: Partial<GrantRow>,
  ): Promise<FinishResult> {
    const [result] = await this.finishMany(tx, [{ claimed, patch }]);
    return result;
  }

  /**
   * {@link GrantStore.finish} for many grants, in their order. On PostgreSQL, outcomes that change
   * the same columns are written by one UPDATE joined to their rows (read from JSON into the
   * table's own row type); on SQLite, row by row.
   */
  async finishMany(
    tx: Knex.Transaction,
    outcomes: ReadonlyArray<{ claimed: GrantRow; patch: Partial<GrantRow> }>,
  ): Promise<FinishResult[]> {
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
    const current = new Map<string, GrantRow>();
    for (let i = 0; i < missed.length; i += 500) {
      const rows = await tx<GrantRow>('access_grants').whereIn(
        'id',
        missed.slice(i, i + 500).map(o => o.claimed.id),
      );
      rows.forEach(row => current.set(row.id, row));
    }
    return outcomes.map(({ claimed }, n) =>
      written.has(n)
        ? { ok: true as const }
        : { ok: false as const, current: current.get(claimed.id) },
    );
  }

  async get(id: string, db: Knex = this.db): Promise<GrantRow | undefined> {
    return db<GrantRow>('access_grants').where({ id }).first();
  }

  async forRequest(requestId: string, db: Knex = this.db): Promise<GrantRow[]> {
    return db<GrantRow>('access_grants').where({ request_id: requestId });
  }

  /**
   * Another live grant that gives the same person the same access through the same provisioner,
   * which revoking this one must leave in place.
   */
  async coveringGrant(
    grant: GrantRow,
    db: Knex = this.db,
  ): Promise<GrantRow | undefined> {
    return db<GrantRow>('access_grants')
      .where({
        provisioner_id: grant.provisioner_id,
        resource_ref: grant.resource_ref,
        permission: grant.permission,
        grantee_ref: grant.grantee_ref,
      })
      .whereNot('id', grant.id)
      .whereIn('state', LIVE_STATES)
      .first();
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
    for (let i = 0; i < requestIds.length; i += 500) {
      const ids = requestIds.slice(i, i + 500);
      await tx('access_grants')
        .whereIn('request_id', ids)
        .whereIn('state', ['pending', 'queued'])
        .update({
          state: 'cancelled',
          next_attempt_at: null,
          version: tx.raw('version + 1'),
        });
      await tx('access_grants')
        .whereIn('request_id', ids)
        .whereIn('state', LIVE_STATES)
        .update({
          state: 'revoking',
          end_reason: endReason,
          attempts: 0,
          next_attempt_at: now,
          version: tx.raw('version + 1'),
        });
      // Grant work handed to people is called off; the revocation makes its own task if needed.
      await tx('access_fulfilment_tasks')
        .whereIn('request_id', ids)
        .where({ state: 'open', action: 'grant' })
        .update({ state: 'cancelled', completed_at: now });
    }
  }

  /** The earliest moment some grant work is due, for the wake-up timer. */
  async nextDueAt(): Promise<Date | undefined> {
    const row = await this.db('access_grants')
      .whereIn('state', WORKING_STATES)
      .whereNotNull('next_attempt_at')
      .min({ at: 'next_attempt_at' })
      .first();
    return readOptionalDate(row?.at);
  }
}
