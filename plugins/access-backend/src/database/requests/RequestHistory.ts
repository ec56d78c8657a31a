import { Knex } from 'knex';

/** How often someone asked for one permission on one resource. */
export interface RequestedCount {
  requesterRef: string;
  resourceRef: string;
  permission: string;
  count: number;
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
}
