import {
  AccessRequest,
  GrantState,
  RequestStatus,
} from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { lockRows } from '../rowLock';
import { GrantStore } from '../grants/GrantStore';
import { FlowFactsOf, loadDetails } from './requestDetails';
import {
  ChainLink,
  newRequestRecord,
  newRequestRow,
  NewRequest,
  RequestRecord,
  RequestRow,
  ShownRequest,
  toRecord,
} from './requestRows';

/** The database handle the request stores work on (outside the database layer, opaque). */
export type Database = Knex;
/** A transaction of that database, passed to the stores' writes. */
export type Transaction = Knex.Transaction;

/**
 * Reads and writes requests and the grants they are made of. Status changes go through
 * transitions.ts, never through here.
 */
export class RequestStore {
  constructor(private readonly db: Knex) {}

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /** Writes a new request with its grants (pending) and approvers; returns it as stored. */
  async insert(tx: Transaction, request: NewRequest): Promise<RequestRecord> {
    await tx('access_requests').insert(newRequestRow(request));
    if (request.items.length > 0) {
      await tx
        .batchInsert(
          'access_grants',
          request.items.map(item => ({
            id: item.id,
            request_id: request.id,
            resource_ref: item.resourceRef,
            permission: item.permission,
            provisioner_id: item.provisionerId,
            grantee_ref: request.granteeRef,
            state: 'pending' satisfies GrantState,
          })),
          200,
        )
        .transacting(tx);
    }
    if (request.approvers.length > 0) {
      await tx
        .batchInsert(
          'access_request_approvers',
          request.approvers.map(a => ({
            request_id: request.id,
            stage: a.stage,
            approver_ref: a.entityRef,
            why: a.why,
          })),
          200,
        )
        .transacting(tx);
    }
    return newRequestRecord(request);
  }

  async get(
    id: string,
    db: Knex = this.db,
  ): Promise<RequestRecord | undefined> {
    const row = await db<RequestRow>('access_requests').where({ id }).first();
    return row && toRecord(row);
  }

  /** The request, locked for the rest of the transaction where the database can. */
  async getForUpdate(
    tx: Transaction,
    id: string,
  ): Promise<RequestRecord | undefined> {
    const row: RequestRow | undefined = await lockRows(
      tx,
      tx<RequestRow>('access_requests').where({ id }),
    ).first();
    return row && toRecord(row);
  }

  /** The full requests with these ids, in the order `orderBy` gives (by default the database's). */
  async details(
    ids: string[],
    flowFacts: FlowFactsOf,
    orderBy?: 'flow_id',
  ): Promise<AccessRequest[]> {
    const query = this.db<RequestRow>('access_requests').whereIn('id', ids);
    if (orderBy) {
      query.orderBy(orderBy);
    }
    const rows: RequestRow[] = await query;
    return this.hydrate(rows.map(toRecord), flowFacts);
  }

  /** The full requests, in the order given. */
  hydrate(
    requests: ShownRequest[],
    flowFacts: FlowFactsOf,
  ): Promise<AccessRequest[]> {
    return loadDetails(this.db, requests, flowFacts);
  }

  /**
   * The extension chain a request belongs to, from the original down to the request itself
   * (a request that extends nothing is a chain of one).
   */
  async chain(requestId: string, db: Knex = this.db): Promise<ChainLink[]> {
    const links: ChainLink[] = [];
    const seen = new Set<string>();
    let id: string | null = requestId;
    while (id && !seen.has(id)) {
      seen.add(id);
      const row: Pick<
        RequestRow,
        'id' | 'requester_ref' | 'grantee_ref' | 'extends_request_id'
      > = await db<RequestRow>('access_requests')
        .where({ id })
        .first('id', 'requester_ref', 'grantee_ref', 'extends_request_id');
      if (!row) {
        break;
      }
      links.unshift({
        id: row.id,
        requesterRef: row.requester_ref,
        granteeRef: row.grantee_ref,
        ...(row.extends_request_id
          ? { extendsRequestId: row.extends_request_id }
          : {}),
      });
      id = row.extends_request_id;
    }
    return links;
  }

  /** Extensions of a request that have not ended: pending, scheduled, granting or active. */
  async openExtensionIds(tx: Transaction, requestId: string) {
    const rows: Array<{ id: string }> = await tx<RequestRow>('access_requests')
      .where({ extends_request_id: requestId })
      .whereIn('status', [
        'pending_approval',
        'scheduled',
        'active',
        'granting',
      ])
      .select('id');
    return rows.map(r => r.id);
  }

  /** The extension of a request that waits for approval, if any. */
  async pendingExtensionId(requestId: string): Promise<string | undefined> {
    const row = await this.db<RequestRow>('access_requests')
      .where({ extends_request_id: requestId, status: 'pending_approval' })
      .first('id');
    return row?.id;
  }

  /** Pending requests whose deadline has passed, the longest overdue first. */
  async overdueIds(now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db<RequestRow>(
      'access_requests',
    )
      .where('status', 'pending_approval' satisfies RequestStatus)
      .where('pending_deadline', '<=', now)
      .orderBy('pending_deadline')
      .limit(limit)
      .select('id');
    return rows.map(r => r.id);
  }

  /** Calls off every grant of a request (through the grants' one writer). */
  cancelGrants(tx: Transaction, requestId: string): Promise<void> {
    return new GrantStore(tx).moveAllOfRequest(tx, requestId, 'cancelled');
  }

  /** Queues a request's grants for the provisioning engine, due at `nextAttemptAt`. */
  queueGrants(
    tx: Transaction,
    requestId: string,
    at: { nextAttemptAt: Date; expiresAt: Date | null },
  ): Promise<void> {
    return new GrantStore(tx).moveAllOfRequest(tx, requestId, 'queued', {
      next_attempt_at: at.nextAttemptAt,
      expires_at: at.expiresAt,
    });
  }

  /** Moves the end of a request's grants that are (or will be) active. */
  moveGrantEnds(
    tx: Transaction,
    requestId: string,
    newEnd: Date,
  ): Promise<void> {
    return new GrantStore(tx).moveEnds(tx, requestId, newEnd);
  }
}
