import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AccessRequest,
  AccessRequestDetails,
  Page,
  RequestStatus,
} from '@jit-access/plugin-access-common';
import { AccessStores } from '../database/AccessDatabase';
import { ApprovalStore } from '../database/requests/ApprovalStore';
import { RequestPages, RequestView } from '../database/requests/RequestPages';
import { ShownRequest } from '../database/requests/requestRows';
import { RequestStore, Transaction } from '../database/requests/RequestStore';
import { Caller } from './caller';
import { FlowLookup } from './flows';
import { withGranteeHistory } from './granteeHistory';

/**
 * Reads requests as callers see them: what they may read, with items, decisions and approvers.
 * The audit trail is read only where it is shown (one request's details).
 */
export class RequestReader {
  private readonly store: RequestStore;
  private readonly approvals: ApprovalStore;
  private readonly pages: RequestPages;

  constructor(
    private readonly stores: Pick<
      AccessStores,
      'requests' | 'approvals' | 'pages' | 'audit' | 'history'
    >,
    private readonly flows: FlowLookup,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.store = stores.requests;
    this.approvals = stores.approvals;
    this.pages = stores.pages;
  }

  /** The request, if the caller may read it; without its audit trail. */
  async get(caller: Caller, id: string): Promise<AccessRequest> {
    const record = await this.store.get(id);
    if (!record || !(await this.mayRead(caller, record))) {
      throw new NotFoundError(`No request ${id}`);
    }
    const [request] = await this.hydrate([record]);
    if (caller.readPolicy && !caller.readPolicy.allows(request)) {
      throw new NotFoundError(`No request ${id}`);
    }
    return request;
  }

  /**
   * The request with its audit trail and its grantee's history with the same items, if the
   * caller may read it.
   */
  async getWithAudit(
    caller: Caller,
    id: string,
  ): Promise<AccessRequestDetails> {
    const [request] = await withGranteeHistory(
      this.stores.history,
      [await this.get(caller, id)],
      this.now(),
    );
    const audit = await this.stores.audit.listForRequest(id);
    return {
      ...request,
      audit: audit.map(event => ({
        seq: event.seq,
        actorRef: event.actorRef,
        action: event.action,
        ...(event.fromStatus ? { fromStatus: event.fromStatus } : {}),
        ...(event.toStatus ? { toStatus: event.toStatus } : {}),
        ...(event.details && Object.keys(event.details).length > 0
          ? { details: event.details }
          : {}),
        at: event.at.toISOString(),
      })),
    };
  }

  /** One request as it is now, whoever asks (for announcements and background jobs). */
  async byId(id: string): Promise<AccessRequest> {
    const [request] = await this.hydrate([(await this.store.get(id))!]);
    return request;
  }

  /** Requests by id, in the database's order or by flow. */
  getMany(ids: string[], orderBy?: 'flow_id'): Promise<AccessRequest[]> {
    return this.store.details(ids, this.flows.facts, orderBy);
  }

  async list(
    caller: Caller,
    query: {
      view: RequestView;
      statuses?: RequestStatus[];
      q?: string;
      limit: number;
      cursor?: string;
    },
  ): Promise<Page<AccessRequest>> {
    if (query.view === 'all' && !caller.isAdmin) {
      throw new NotAllowedError('view=all needs the access.admin permission');
    }
    const page = await this.pages.list({
      ...query,
      userRef: caller.userEntityRef,
      filter: caller.readPolicy?.filter,
    });
    return {
      items: await this.hydrate(page.items),
      nextCursor: page.nextCursor,
    };
  }

  /** The approver's inbox; what waits for a decision comes with the grantee's history. */
  async inbox(
    caller: Caller,
    query: { state: 'pending' | 'decided'; limit: number; cursor?: string },
  ): Promise<Page<AccessRequest>> {
    const page = await this.pages.inbox({
      ...query,
      userRef: caller.userEntityRef,
      filter: caller.readPolicy?.filter,
    });
    const items = await this.hydrate(page.items);
    return {
      items:
        query.state === 'pending'
          ? await withGranteeHistory(this.stores.history, items, this.now())
          : items,
      nextCursor: page.nextCursor,
    };
  }

  /** The full requests, in the order given. */
  hydrate(requests: ShownRequest[]): Promise<AccessRequest[]> {
    return this.store.hydrate(requests, this.flows.facts);
  }

  /**
   * Whether the caller may read the request at all: admins, its requester and grantee, and its
   * approvers. Inside a transaction, pass it: the check reads through it.
   */
  async mayRead(
    caller: Caller,
    request: Pick<ShownRequest, 'id' | 'requesterRef' | 'granteeRef'>,
    tx?: Transaction,
  ): Promise<boolean> {
    const me = caller.userEntityRef;
    if (
      caller.isAdmin ||
      request.requesterRef === me ||
      request.granteeRef === me
    ) {
      return true;
    }
    return this.approvals.isApprover(request.id, me, tx);
  }
}
