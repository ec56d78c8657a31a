import {
  AccessRequest,
  AccessRequestApproval,
  AccessRequestApprover,
  AccessRequestItem,
  GrantState,
  Page,
  ReasonRule,
  RequestStatus,
} from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { readDate, readOptionalDate } from '../lib/dates';
import { applyRequestFilter, RequestFilter } from '../permissions/rules';
import { newestFirstPage } from '../database/newestFirst';
import { RecordedDecision } from './rules/decisionRules';
import { ChainLink } from './rules/extensionRules';

/** A row of access_requests. */
export interface RequestRow {
  id: string;
  submission_id: string;
  requester_ref: string;
  grantee_ref: string;
  flow_id: string;
  status: RequestStatus;
  status_reason: string | null;
  version: number;
  justification: string | null;
  ticket_type: string | null;
  ticket_id: string | null;
  answers: string | null;
  duration: string | null;
  starts_at: Date | number | null;
  ends_at: Date | number | null;
  pending_deadline: Date | number | null;
  extensions_used: number;
  current_stage: number;
  bundle_id: string | null;
  extends_request_id: string | null;
  stage_started_at: Date | number | null;
  reminded_stage: number | null;
  escalated_stage: number | null;
  created_at: Date | number;
  updated_at: Date | number;
}

/**
 * The columns of a request that the API shows. Lists select only these: the engine's and the
 * reminders' bookkeeping (version, deadlines, stage timers) would be read, parsed and thrown away
 * for every row of every page.
 */
const SHOWN_COLUMNS = [
  'id',
  'submission_id',
  'requester_ref',
  'grantee_ref',
  'flow_id',
  'status',
  'status_reason',
  'justification',
  'ticket_type',
  'ticket_id',
  'answers',
  'duration',
  'starts_at',
  'ends_at',
  'extensions_used',
  'current_stage',
  'bundle_id',
  'extends_request_id',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof RequestRow>;

/** What a request shows of its row. */
export type ShownRequestRow = Pick<RequestRow, (typeof SHOWN_COLUMNS)[number]>;

/** Everything a new request is made of, written in one go. */
export interface NewRequest {
  row: Omit<
    RequestRow,
    | 'version'
    | 'extensions_used'
    | 'current_stage'
    | 'extends_request_id'
    | 'stage_started_at'
    | 'reminded_stage'
    | 'escalated_stage'
  > & {
    extends_request_id?: string | null;
    /** An extension inherits the count of its chain, so `maxExtensions` holds for the chain. */
    extensions_used?: number;
  };
  items: Array<{
    id: string;
    resourceRef: string;
    permission: string;
    provisionerId: string;
  }>;
  approvers: AccessRequestApprover[];
}

export type RequestView = 'mine' | 'delegated' | 'approver' | 'all';

/** Reads and writes requests. Status changes go through transitions.ts, never through here. */
export class RequestStore {
  constructor(private readonly db: Knex) {}

  async insert(tx: Knex.Transaction, request: NewRequest): Promise<void> {
    await tx('access_requests').insert({
      ...request.row,
      stage_started_at: request.row.created_at,
    });
    if (request.items.length > 0) {
      await tx
        .batchInsert(
          'access_grants',
          request.items.map(item => ({
            id: item.id,
            request_id: request.row.id,
            resource_ref: item.resourceRef,
            permission: item.permission,
            provisioner_id: item.provisionerId,
            grantee_ref: request.row.grantee_ref,
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
            request_id: request.row.id,
            stage: a.stage,
            approver_ref: a.entityRef,
            why: a.why,
          })),
          200,
        )
        .transacting(tx);
    }
  }

  /** The request row, locked for the rest of the transaction where the database can. */
  async getRowForUpdate(
    tx: Knex.Transaction,
    id: string,
  ): Promise<RequestRow | undefined> {
    const query = tx<RequestRow>('access_requests').where({ id });
    // SQLite has one writer at a time already; PostgreSQL needs the row lock so that decisions
    // on the same request see each other.
    if (tx.client.config.client === 'pg') {
      query.forUpdate();
    }
    return query.first();
  }

  async getRow(
    id: string,
    db: Knex = this.db,
  ): Promise<RequestRow | undefined> {
    return db<RequestRow>('access_requests').where({ id }).first();
  }

  async setGrantStates(
    tx: Knex.Transaction,
    requestId: string,
    state: GrantState,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await tx('access_grants')
      .where({ request_id: requestId })
      .update({ state, ...extra, version: tx.raw('version + 1') });
  }

  async insertApproval(
    tx: Knex.Transaction,
    approval: {
      id: string;
      requestId: string;
      stage: number;
      approverRef: string;
      decision: 'approve' | 'reject';
      reason?: string;
      at: Date;
    },
  ): Promise<void> {
    await tx('access_approvals').insert({
      id: approval.id,
      request_id: approval.requestId,
      stage: approval.stage,
      approver_ref: approval.approverRef,
      decision: approval.decision,
      reason: approval.reason ?? null,
      decided_at: approval.at,
    });
  }

  /** Every decision recorded on a request, in the order they were made. */
  async decisions(db: Knex, requestId: string): Promise<RecordedDecision[]> {
    const rows = await db('access_approvals')
      .where({ request_id: requestId })
      .orderBy('decided_at')
      .select('stage', 'approver_ref', 'decision');
    return rows.map(r => ({
      stage: Number(r.stage),
      approverRef: r.approver_ref,
      decision: r.decision,
    }));
  }

  /**
   * The extension chain a request belongs to, from the original down to the request itself
   * (a request that extends nothing is a chain of one).
   */
  async chain(db: Knex, requestId: string): Promise<ChainLink[]> {
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

  async countApprovals(
    tx: Knex.Transaction,
    requestId: string,
    stage: number,
  ): Promise<number> {
    const [{ n }] = await tx('access_approvals')
      .where({ request_id: requestId, stage, decision: 'approve' })
      .count({ n: '*' });
    return Number(n);
  }

  /** The full requests, in the order of the given rows. */
  async hydrate(
    rows: ShownRequestRow[],
    flowFacts: (flowId: string) => FlowFacts,
    db: Knex = this.db,
  ): Promise<AccessRequest[]> {
    if (rows.length === 0) {
      return [];
    }
    const ids = rows.map(r => r.id);
    const [grants, approvals, approvers] = await Promise.all([
      db('access_grants')
        .whereIn('request_id', ids)
        .orderBy(['resource_ref', 'permission'])
        .select(
          'id',
          'request_id',
          'resource_ref',
          'permission',
          'state',
          'last_error',
          'granted_at',
          'expires_at',
          'revoked_at',
          'end_reason',
          'credentials_state',
          // The open fulfilment task of a grant, if people are working on it by hand.
          db('access_fulfilment_tasks')
            .min('access_fulfilment_tasks.id')
            .whereRaw('access_fulfilment_tasks.grant_id = access_grants.id')
            .where('access_fulfilment_tasks.state', 'open')
            .as('open_task_id'),
        ),
      db('access_approvals')
        .whereIn('request_id', ids)
        .orderBy('decided_at')
        .select(
          'request_id',
          'stage',
          'approver_ref',
          'decision',
          'reason',
          'decided_at',
        ),
      db('access_request_approvers')
        .whereIn('request_id', ids)
        .orderBy(['stage', 'approver_ref']),
    ]);
    const byRequest = <T extends { request_id: string }>(list: T[]) => {
      const map = new Map<string, T[]>();
      for (const row of list) {
        const group = map.get(row.request_id);
        if (group) {
          group.push(row);
        } else {
          map.set(row.request_id, [row]);
        }
      }
      return map;
    };
    const grantsBy = byRequest(grants);
    const approvalsBy = byRequest(approvals);
    const approversBy = byRequest(approvers);

    return rows.map(row => {
      const items: AccessRequestItem[] = (grantsBy.get(row.id) ?? []).map(
        toItem,
      );
      const decisions: AccessRequestApproval[] = (
        approvalsBy.get(row.id) ?? []
      ).map(a => ({
        stage: Number(a.stage),
        approverRef: a.approver_ref,
        decision: a.decision,
        ...(a.reason ? { reason: a.reason } : {}),
        decidedAt: readDate(a.decided_at).toISOString(),
      }));
      const eligible: AccessRequestApprover[] = (
        approversBy.get(row.id) ?? []
      ).map(a => ({
        stage: Number(a.stage),
        entityRef: a.approver_ref,
        why: a.why,
      }));
      return toRequest(
        row,
        items,
        decisions,
        eligible,
        flowFacts(row.flow_id),
        {
          partiallyFulfilled: isPartiallyFulfilled(grantsBy.get(row.id) ?? []),
        },
      );
    });
  }

  /** One page of requests as seen from a view, newest first. */
  async list(options: {
    view: RequestView;
    userRef: string;
    statuses?: RequestStatus[];
    /** Free text: part of a resource, permission, person, ticket or justification, or an id. */
    q?: string;
    /** A permission policy's conditions, narrowing what the caller may read. */
    filter?: PermissionCriteria<RequestFilter>;
    limit: number;
    cursor?: string;
  }): Promise<Page<ShownRequestRow>> {
    const { view, userRef, statuses, q, filter, limit, cursor } = options;
    const query = this.db('access_requests').select(SHOWN_COLUMNS);
    if (filter) {
      applyRequestFilter(this.db, query, filter);
    }
    if (view === 'mine') {
      query.where('grantee_ref', userRef);
    } else if (view === 'delegated') {
      query.where('requester_ref', userRef).whereNot('grantee_ref', userRef);
    } else if (view === 'approver') {
      query.whereIn(
        'id',
        this.db('access_request_approvers')
          .select('request_id')
          .where('approver_ref', userRef),
      );
    }
    if (statuses && statuses.length > 0) {
      query.whereIn('status', statuses);
    }
    if (q) {
      const like = `%${q
        .toLocaleLowerCase('en-US')
        .replace(/[\\%_]/g, c => `\\${c}`)}%`;
      const matches = (column: string) =>
        this.db.raw(`lower(${column}) like ? escape '\\'`, [like]);
      query.where(w =>
        w
          .where(matches('access_requests.id'))
          .orWhere(matches('access_requests.requester_ref'))
          .orWhere(matches('access_requests.grantee_ref'))
          .orWhere(matches('access_requests.ticket_id'))
          .orWhere(matches('access_requests.justification'))
          .orWhereExists(
            this.db('access_grants')
              .select(this.db.raw('1'))
              .whereRaw('access_grants.request_id = access_requests.id')
              .where(g =>
                g
                  .where(matches('access_grants.resource_ref'))
                  .orWhere(matches('access_grants.permission')),
              ),
          ),
      );
    }
    return newestFirstPage<ShownRequestRow>(query, limit, cursor);
  }

  /** Requests waiting for this approver's decision now, or that they decided. */
  async inbox(options: {
    userRef: string;
    state: 'pending' | 'decided';
    filter?: PermissionCriteria<RequestFilter>;
    limit: number;
    cursor?: string;
  }): Promise<Page<ShownRequestRow>> {
    const { userRef, state, filter, limit, cursor } = options;
    const query = this.db('access_requests').select(SHOWN_COLUMNS);
    if (filter) {
      applyRequestFilter(this.db, query, filter);
    }
    if (state === 'pending') {
      query
        .where('status', 'pending_approval')
        .whereExists(
          this.db('access_request_approvers')
            .select(this.db.raw('1'))
            .whereRaw(
              'access_request_approvers.request_id = access_requests.id',
            )
            .whereRaw(
              'access_request_approvers.stage = access_requests.current_stage',
            )
            .where('access_request_approvers.approver_ref', userRef),
        )
        .whereNotExists(
          this.db('access_approvals')
            .select(this.db.raw('1'))
            .whereRaw('access_approvals.request_id = access_requests.id')
            .where('access_approvals.approver_ref', userRef),
        );
    } else {
      // What I decided, and what was decided without me: requests I could decide whose stage
      // (or whole approval) is over, so a second approver sees who decided and what.
      query.where(w =>
        w
          .whereIn(
            'id',
            this.db('access_approvals')
              .select('request_id')
              .where('approver_ref', userRef),
          )
          .orWhereExists(
            this.db('access_request_approvers')
              .select(this.db.raw('1'))
              .whereRaw(
                'access_request_approvers.request_id = access_requests.id',
              )
              .where('access_request_approvers.approver_ref', userRef)
              .where(stage =>
                stage
                  .whereRaw(
                    'access_request_approvers.stage < access_requests.current_stage',
                  )
                  .orWhereNot('access_requests.status', 'pending_approval'),
              ),
          ),
      );
    }
    return newestFirstPage<ShownRequestRow>(query, limit, cursor);
  }
}

/** What a request shows of its flow: how many stages, how far it may be extended. */
export interface FlowFacts {
  stageCount: number;
  maxExtensions: number;
  extensionRequiresApproval: boolean;
  durations: string[];
  requireReason: ReasonRule;
}

const iso = (value: Date | number | string | null | undefined) =>
  readOptionalDate(value)?.toISOString();

function toItem(grant: any): AccessRequestItem {
  return {
    id: grant.id,
    resourceRef: grant.resource_ref,
    permission: grant.permission,
    status: grant.state,
    ...(grant.last_error ? { lastError: grant.last_error } : {}),
    ...(grant.granted_at ? { grantedAt: iso(grant.granted_at) } : {}),
    ...(grant.expires_at ? { expiresAt: iso(grant.expires_at) } : {}),
    ...(grant.revoked_at ? { revokedAt: iso(grant.revoked_at) } : {}),
    ...(grant.credentials_state === 'ready' ? { credentialsReady: true } : {}),
    ...(grant.credentials_state === 'shown' ? { credentialsShown: true } : {}),
    ...(grant.open_task_id ? { fulfilmentTaskId: grant.open_task_id } : {}),
  };
}

/** Some items failed while others were granted (Entra's "partially fulfilled"). */
function isPartiallyFulfilled(
  grants: Array<{ state: GrantState; end_reason: string | null }>,
): boolean {
  const granted: GrantState[] = ['active', 'revoking', 'expired', 'revoked'];
  // A grant that failed while being revoked (end_reason set) was granted before.
  return (
    grants.some(g => g.state === 'failed' && !g.end_reason) &&
    grants.some(g => granted.includes(g.state) || g.end_reason)
  );
}

function toRequest(
  row: ShownRequestRow,
  items: AccessRequestItem[],
  approvals: AccessRequestApproval[],
  approvers: AccessRequestApprover[],
  flow: FlowFacts,
  derived: { partiallyFulfilled: boolean },
): AccessRequest {
  return {
    id: row.id,
    submissionId: row.submission_id,
    flowId: row.flow_id,
    status: row.status,
    ...(row.status_reason ? { statusReason: row.status_reason } : {}),
    requesterRef: row.requester_ref,
    granteeRef: row.grantee_ref,
    items,
    ...(row.bundle_id ? { bundleId: row.bundle_id } : {}),
    ...(row.justification ? { justification: row.justification } : {}),
    ...(row.ticket_id
      ? {
          ticket: {
            id: row.ticket_id,
            ...(row.ticket_type ? { type: row.ticket_type } : {}),
          },
        }
      : {}),
    answers: row.answers ? JSON.parse(row.answers) : {},
    ...(row.duration ? { duration: row.duration } : {}),
    ...(row.starts_at !== null ? { startAt: iso(row.starts_at) } : {}),
    ...(row.ends_at !== null ? { endAt: iso(row.ends_at) } : {}),
    createdAt: readDate(row.created_at).toISOString(),
    updatedAt: readDate(row.updated_at).toISOString(),
    currentStage: Number(row.current_stage),
    stageCount: flow.stageCount,
    approvals,
    approvers,
    extension: {
      used: Number(row.extensions_used),
      max: flow.maxExtensions,
      requiresApproval: flow.extensionRequiresApproval,
      durations: flow.durations,
    },
    requireReason: flow.requireReason,
    ...(row.extends_request_id
      ? { extendsRequestId: row.extends_request_id }
      : {}),
    ...(derived.partiallyFulfilled ? { partiallyFulfilled: true } : {}),
  };
}
