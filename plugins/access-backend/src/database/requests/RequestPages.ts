import { Page, RequestStatus } from '@jit-access/plugin-access-common';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { applyRequestFilter, RequestFilter } from './requestFilters';
import { newestFirstPage } from '../newestFirst';
import {
  SHOWN_COLUMNS,
  ShownRequest,
  ShownRequestRow,
  toShownRequest,
} from './requestRows';

export type RequestView = 'mine' | 'delegated' | 'approver' | 'all';

/** Pages of requests, newest first, as the lists and the approver's inbox show them. */
export class RequestPages {
  constructor(private readonly db: Knex) {}

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
  }): Promise<Page<ShownRequest>> {
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
    return shown(await newestFirstPage<ShownRequestRow>(query, limit, cursor));
  }

  /** Requests waiting for this approver's decision now, or that they decided. */
  async inbox(options: {
    userRef: string;
    state: 'pending' | 'decided';
    filter?: PermissionCriteria<RequestFilter>;
    limit: number;
    cursor?: string;
  }): Promise<Page<ShownRequest>> {
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
    return shown(await newestFirstPage<ShownRequestRow>(query, limit, cursor));
  }
}

function shown(page: Page<ShownRequestRow>): Page<ShownRequest> {
  return { ...page, items: page.items.map(toShownRequest) };
}
