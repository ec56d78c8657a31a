import {
  AccessItem,
  AccessRequest,
  AccessRequestDetails,
  FlowMatchResult,
  Page,
  RequestChannel,
  RequestStatus,
  Submission,
  SubmissionResult,
} from '@jit-access/plugin-access-common';
import { RequestView } from '../database/requests/RequestPages';
import { matchFlows } from '../flows/matchFlows';
import { Caller, RequestingCaller } from './caller';
import { cancel, revoke } from './commands/endAccess';
import { decide, DecidedVia } from './commands/decide';
import { extend, ExtensionAsk } from './commands/extend';
import { failOverdue } from './commands/failOverdue';
import { requestAgain, submit } from './commands/submit';
import { RequestContext, RequestServiceOptions } from './context';
import { resolveGrantee } from './grantee';
import { resolveItems } from './items';

// The callers the methods take, and the options, as the service's users import them.
export type { Caller, RequestingCaller } from './caller';
export type { RequestServiceOptions } from './context';
export type { DecidedVia } from './commands/decide';
export { submissionOf, withChanges } from './rules/resubmission';

/**
 * A request's life from submission to decision: the rules of the flows, applied. Each use case
 * is a command of its own (./commands); reads go through the RequestReader.
 */
export class RequestService {
  private readonly ctx: RequestContext;

  constructor(options: RequestServiceOptions) {
    this.ctx = new RequestContext(options);
  }

  /** Which flows would cover these items for the caller (for the grantee, when given). */
  async matchFlows(
    caller: RequestingCaller,
    items: AccessItem[],
    granteeRef?: string,
  ): Promise<FlowMatchResult> {
    const { options, flows } = this.ctx;
    const grantee = await resolveGrantee(options, caller, granteeRef);
    const resolved = await resolveItems(options.resources, items);
    const { matches, uncovered } = matchFlows(
      flows.all,
      resolved,
      caller,
      grantee !== caller.userEntityRef,
    );
    return {
      flows: matches.map(match => ({
        flow: match.flow,
        items: match.items.map(({ resourceRef, permission }) => ({
          resourceRef,
          permission,
        })),
      })),
      uncovered,
    };
  }

  /** Asks for access; `channel` says where (the portal, the HTTP API, an assistant's action). */
  submit(
    caller: RequestingCaller,
    submission: Submission,
    channel: RequestChannel = 'api',
  ): Promise<SubmissionResult> {
    return submit(this.ctx, caller, submission, channel);
  }

  /** The request with its audit trail, if the caller may read it. */
  get(caller: Caller, id: string): Promise<AccessRequestDetails> {
    return this.ctx.reader.getWithAudit(caller, id);
  }

  /** Requests by id, for the permission framework to evaluate conditions on. */
  getMany(ids: string[]): Promise<AccessRequest[]> {
    return this.ctx.reader.getMany(ids);
  }

  list(
    caller: Caller,
    query: {
      view: RequestView;
      statuses?: RequestStatus[];
      q?: string;
      limit: number;
      cursor?: string;
    },
  ): Promise<Page<AccessRequest>> {
    return this.ctx.reader.list(caller, query);
  }

  inbox(
    caller: Caller,
    query: { state: 'pending' | 'decided'; limit: number; cursor?: string },
  ): Promise<Page<AccessRequest>> {
    return this.ctx.reader.inbox(caller, query);
  }

  /**
   * Records an approver's decision; the one that completes a stage moves the request on. `via`
   * names the chat channel and chat user of a decision made in chat.
   */
  decide(
    caller: Caller,
    id: string,
    decision: 'approve' | 'reject',
    reason: string | undefined,
    via?: DecidedVia,
  ): Promise<AccessRequest> {
    return decide(this.ctx, caller, id, decision, reason, via);
  }

  /** A request by id, as the system sees it (no caller: for chat messages and the like). */
  byId(id: string): Promise<AccessRequest | undefined> {
    return this.ctx.reader.getMany([id]).then(([request]) => request);
  }

  /** The flow a request is under, as it applies to where the request was made. */
  flowOf(request: AccessRequest) {
    return this.ctx.flows.forRequest(request);
  }

  /** Queues chat messages for a request as it is now (approvals for new approvers included). */
  announce(request: AccessRequest): Promise<void> {
    return this.ctx.announcer.announce(request);
  }

  /** The requester withdraws a request that has not started. */
  cancel(
    caller: Caller,
    id: string,
    reason: string | undefined,
  ): Promise<AccessRequest> {
    return cancel(this.ctx, caller, id, reason);
  }

  /** Ends access before its time (see commands/endAccess.ts). */
  revoke(
    caller: Caller,
    id: string,
    reason: string | undefined,
  ): Promise<AccessRequest> {
    return revoke(this.ctx, caller, id, reason);
  }

  /** Extends active access, at once or through approval (see commands/extend.ts). */
  extend(
    caller: Caller,
    id: string,
    ask: ExtensionAsk,
    channel: RequestChannel = 'api',
  ): Promise<AccessRequest> {
    return extend(this.ctx, caller, id, ask, channel);
  }

  /** Asks again for what a closed request asked for, under today's flows and rules. */
  requestAgain(
    caller: RequestingCaller,
    id: string,
    changes: Partial<Submission>,
    channel: RequestChannel = 'api',
  ): Promise<SubmissionResult> {
    return requestAgain(this.ctx, caller, id, changes, channel);
  }

  /** Fails pending requests whose pending timeout has passed; returns how many. */
  failOverdue(limit = 500): Promise<number> {
    return failOverdue(this.ctx, limit);
  }

  /** Announces the status changes the provisioning engine made. */
  announceChanges(
    changes: Array<{ requestId: string; from: RequestStatus }>,
  ): Promise<void> {
    return this.ctx.announcer.announceChanges(changes);
  }
}
