import { Knex } from 'knex';
import { readOptionalDate } from '../../lib/dates';
import { RequestRecord, RequestTarget } from '../requests/requestRows';
import {
  endedWithoutLiveGrant,
  requestById,
  requestTargetsByIds,
  scheduledAmong,
} from './grantRequests';
import {
  GrantRecord,
  GrantSettleState,
  SETTLE_STATE_COLUMNS,
  toGrantRecord,
  toGrantSettleState,
} from './grantRecord';
import {
  ENDED_STATES,
  GrantRow,
  LIVE_STATES,
  WORKING_STATES,
} from './grantRow';

/** Grants and the requests they belong to are read in chunks of this many ids. */
const CHUNK = 500;

/** Who holds what, through which provisioner: what makes two grants the same access. */
export interface AccessKey {
  provisionerId: string;
  resourceRef: string;
  permission: string;
  granteeRef: string;
}

/**
 * What the engine and reconciliation read of grants (GrantStore writes them), and of the requests
 * the grants belong to.
 */
export class GrantQueries {
  constructor(private readonly db: Knex) {}

  /** What provisioning needs of requests, by id; ids not found are left out. */
  requestTargetsByIds(
    ids: readonly string[],
  ): Promise<Map<string, RequestTarget>> {
    return requestTargetsByIds(this.db, ids);
  }

  /** One request, if it exists. */
  requestById(id: string): Promise<RequestRecord | undefined> {
    return requestById(this.db, id);
  }

  /** Ids of granting or active requests whose end has come with no live grant to end. */
  endedWithoutLiveGrant(now: Date, limit: number): Promise<string[]> {
    return endedWithoutLiveGrant(this.db, now, limit);
  }

  /** Which of these requests are scheduled. */
  scheduledAmong(ids: readonly string[]): Promise<string[]> {
    return scheduledAmong(this.db, ids);
  }

  /** Grants by id; ids not found are left out. */
  async byIds(ids: readonly string[]): Promise<Map<string, GrantRecord>> {
    const found = new Map<string, GrantRecord>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db<GrantRow>('access_grants').whereIn(
        'id',
        ids.slice(i, i + CHUNK),
      );
      rows.forEach(row => found.set(row.id, toGrantRecord(row)));
    }
    return found;
  }

  /** The grants of many requests as settling them reads them, by request id. */
  async settleStatesOfRequests(
    requestIds: readonly string[],
  ): Promise<Map<string, GrantSettleState[]>> {
    const grants = new Map<string, GrantSettleState[]>();
    for (let i = 0; i < requestIds.length; i += CHUNK) {
      const rows: Pick<GrantRow, (typeof SETTLE_STATE_COLUMNS)[number]>[] =
        await this.db('access_grants')
          .select(SETTLE_STATE_COLUMNS)
          .whereIn('request_id', requestIds.slice(i, i + CHUNK));
      for (const row of rows) {
        const list = grants.get(row.request_id);
        if (list) {
          list.push(toGrantSettleState(row));
        } else {
          grants.set(row.request_id, [toGrantSettleState(row)]);
        }
      }
    }
    return grants;
  }

  /**
   * Another live grant that gives the same person the same access through the same provisioner,
   * which revoking this one must leave in place.
   */
  async coveringGrant(grant: GrantRecord): Promise<GrantRecord | undefined> {
    const row = await this.db<GrantRow>('access_grants')
      .where({
        provisioner_id: grant.provisionerId,
        resource_ref: grant.resourceRef,
        permission: grant.permission,
        grantee_ref: grant.granteeRef ?? null,
      })
      .whereNot('id', grant.id)
      .whereIn('state', LIVE_STATES)
      .first();
    return row && toGrantRecord(row);
  }

  /** A provisioner's grants whose access exists, is coming or is being revoked. */
  async liveOrRevoking(provisionerId: string): Promise<GrantRecord[]> {
    const rows = await this.db<GrantRow>('access_grants')
      .where({ provisioner_id: provisionerId })
      .whereIn('state', [...LIVE_STATES, 'revoking']);
    return rows.map(toGrantRecord);
  }

  /** The most recently ended grant of the same access, if any. */
  async lastEnded(access: AccessKey): Promise<GrantRecord | undefined> {
    const row = await this.db<GrantRow>('access_grants')
      .where({
        provisioner_id: access.provisionerId,
        resource_ref: access.resourceRef,
        permission: access.permission,
        grantee_ref: access.granteeRef,
      })
      .whereIn('state', ENDED_STATES)
      .orderBy('revoked_at', 'desc')
      .first();
    return row && toGrantRecord(row);
  }

  /** Marks an active grant whose access its provisioner no longer shows, or clears the mark. */
  async setMissingSince(id: string, since: Date | null): Promise<void> {
    await this.db('access_grants')
      .where({ id })
      .update({ missing_since: since });
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

  /** The earliest end of an active grant (the claim ends it), for the wake-up timer. */
  async nextExpiryAt(): Promise<Date | undefined> {
    const row = await this.db('access_grants')
      .where('state', 'active')
      .whereNotNull('expires_at')
      .min({ at: 'expires_at' })
      .first();
    return readOptionalDate(row?.at);
  }
}
