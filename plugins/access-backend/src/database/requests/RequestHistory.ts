import { Knex } from 'knex';
import { readDate, readOptionalDate } from '../../lib/dates';

/** How often someone asked for one permission on one resource. */
export interface RequestedCount {
  requesterRef: string;
  resourceRef: string;
  permission: string;
  count: number;
}

/** One item of a request, and its grantee's past with the same resource and permission. */
export interface ItemHistory {
  requestId: string;
  resourceRef: string;
  permission: string;
  /** Other requests (extensions aside) whose grant of it was made since the window's start. */
  grantedSince: number;
  /** Other requests for it waiting for approval. */
  pendingRequests: number;
  /** Whether another request's grant of it is active now, and its latest end. */
  active: boolean;
  activeUntil?: Date;
  /** The newest decision on another request for it. */
  lastDecision?: {
    decision: 'approve' | 'reject';
    approverRef: string;
    decidedAt: Date;
  };
}

// Enough people for a large team; the suggestions do not need the long tail.
const MAX_REQUESTERS = 500;

/**
 * What people asked for before: for suggestions, which resource and permission each of them
 * requested and how often (requests of every status count: asking is the signal).
 */
export class RequestHistory {
  constructor(private readonly db: Knex) {}

  async countsBy(requesterRefs: string[]): Promise<RequestedCount[]> {
    const refs = [...new Set(requesterRefs)].slice(0, MAX_REQUESTERS);
    if (refs.length === 0) {
      return [];
    }
    const rows: Array<{
      requester_ref: string;
      resource_ref: string;
      permission: string;
      count: number | string;
    }> = await this.db('access_requests as r')
      .join('access_grants as g', 'g.request_id', 'r.id')
      .whereIn('r.requester_ref', refs)
      // An extension repeats what its original asked for; it is not asking again.
      .whereNull('r.extends_request_id')
      .groupBy('r.requester_ref', 'g.resource_ref', 'g.permission')
      .select('r.requester_ref', 'g.resource_ref', 'g.permission')
      .count({ count: '*' });
    return rows.map(row => ({
      requesterRef: row.requester_ref,
      resourceRef: row.resource_ref,
      permission: row.permission,
      count: Number(row.count),
    }));
  }

  /**
   * For each item of the given requests, the grantee's other requests for the same resource and
   * permission: two queries for any number of requests (a page of the inbox), each joining the
   * items to their history through the (grantee, resource, permission) index.
   */
  async itemHistories(
    requestIds: string[],
    windowStart: Date,
  ): Promise<ItemHistory[]> {
    if (requestIds.length === 0) {
      return [];
    }
    const [counts, decisions] = await Promise.all([
      this.countsOfItems(requestIds, windowStart),
      this.lastDecisionsOnItems(requestIds),
    ]);
    const decided = new Map(decisions.map(row => [itemKey(row), row] as const));
    return counts.map(row => {
      const decision = decided.get(itemKey(row));
      const activeUntil = readOptionalDate(row.active_until);
      return {
        requestId: row.request_id,
        resourceRef: row.resource_ref,
        permission: row.permission,
        grantedSince: Number(row.granted),
        pendingRequests: Number(row.pending),
        active: Number(row.active) > 0,
        ...(activeUntil ? { activeUntil } : {}),
        ...(decision
          ? {
              lastDecision: {
                decision: decision.decision,
                approverRef: decision.approver_ref,
                decidedAt: readDate(decision.decided_at),
              },
            }
          : {}),
      };
    });
  }

  /** The items of the requests, each joined to the same grantee's grants of it elsewhere. */
  private itemsWithOtherGrants(requestIds: string[]) {
    return this.db('access_grants as item')
      .leftJoin('access_grants as other', join =>
        join
          .on('other.grantee_ref', 'item.grantee_ref')
          .andOn('other.resource_ref', 'item.resource_ref')
          .andOn('other.permission', 'item.permission')
          .andOn('other.request_id', '<>', 'item.request_id'),
      )
      .whereIn('item.request_id', requestIds);
  }

  private countsOfItems(
    requestIds: string[],
    windowStart: Date,
  ): Promise<
    Array<{
      request_id: string;
      resource_ref: string;
      permission: string;
      granted: number | string;
      pending: number | string;
      active: number | string;
      active_until: Date | number | string | null;
    }>
  > {
    const { db } = this;
    return this.itemsWithOtherGrants(requestIds)
      .leftJoin('access_requests as r', 'r.id', 'other.request_id')
      .groupBy('item.request_id', 'item.resource_ref', 'item.permission')
      .select(
        'item.request_id',
        'item.resource_ref',
        'item.permission',
        // An extension repeats its original's grant: counting it would count one access twice.
        db.raw(
          'count(distinct case when other.granted_at >= ? and r.extends_request_id is null then r.id end) as granted',
          [windowStart],
        ),
        db.raw(
          "count(distinct case when r.status = 'pending_approval' then r.id end) as pending",
        ),
        db.raw(
          "sum(case when other.state = 'active' then 1 else 0 end) as active",
        ),
        db.raw(
          "max(case when other.state = 'active' then other.expires_at end) as active_until",
        ),
      );
  }

  private lastDecisionsOnItems(requestIds: string[]): Promise<
    Array<{
      request_id: string;
      resource_ref: string;
      permission: string;
      decision: 'approve' | 'reject';
      approver_ref: string;
      decided_at: Date | number | string;
    }>
  > {
    const { db } = this;
    const ranked = this.itemsWithOtherGrants(requestIds)
      .join('access_approvals as a', 'a.request_id', 'other.request_id')
      .select(
        'item.request_id',
        'item.resource_ref',
        'item.permission',
        'a.decision',
        'a.approver_ref',
        'a.decided_at',
        db.raw(
          'row_number() over (partition by item.id order by a.decided_at desc, a.id desc) as newest',
        ),
      );
    return db
      .select(
        'request_id',
        'resource_ref',
        'permission',
        'decision',
        'approver_ref',
        'decided_at',
      )
      .from(ranked.as('ranked'))
      .where('newest', 1);
  }
}

function itemKey(row: {
  request_id: string;
  resource_ref: string;
  permission: string;
}): string {
  return JSON.stringify([row.request_id, row.resource_ref, row.permission]);
}
