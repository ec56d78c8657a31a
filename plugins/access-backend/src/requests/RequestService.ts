import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  AccessProvisioner,
  isPermanentProvisioningError,
} from '@jit-access/plugin-access-node';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AccessBundle,
  AccessFlow,
  AccessItem,
  AccessRequest,
  AccessRequestDetails,
  FlowMatchResult,
  isTerminalStatus,
  Page,
  RequestStatus,
  Submission,
  SubmissionResult,
} from '@jit-access/plugin-access-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { Duration } from 'luxon';
import {
  appendAuditEvent,
  listAuditEvents,
  SYSTEM_ACTOR,
} from '../audit/auditLog';
import { AccessEvents } from '../events/AccessEvents';
import { AccessNotifier } from '../notify/AccessNotifier';
import { RequestSignals } from '../notify/RequestSignals';
import { RequestFilter } from '../permissions/rules';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  assignFlows,
  matchFlows,
  Requester,
  ResolvedItem,
} from '../flows/matchFlows';
import { readDate, readOptionalDate } from '../lib/dates';
import { normaliseEntityRef } from '../lib/entityRefs';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { resolveApprovers } from './approvers';
import { assertApprovable } from './rules/approvability';
import { checkDecision, eligibleDeciders } from './rules/decisionRules';
import {
  chainPeople,
  chainStart,
  checkWithinMaxDuration,
} from './rules/extensionRules';
import {
  checkRequirements,
  checkTiming,
  parseRequestedDuration,
} from './flowRules';
import {
  NewRequest,
  RequestRow,
  RequestStore,
  RequestView,
  ShownRequestRow,
} from './RequestStore';
import { ChainLink } from './rules/extensionRules';
import { applyTransition } from './transitions';
import { GrantStore } from '../engine/GrantStore';
import { settleRequest } from '../engine/settleRequest';

/** The caller of a service method: a signed-in user, and whether they administer access. */
/** The signed-in user behind an API request, with what the permission policy allows them. */
export interface Caller {
  userEntityRef: string;
  isAdmin: boolean;
  /**
   * The service a user token was issued to when it acts on the user's behalf (a scaffolder run,
   * another plugin). Such a caller may ask for access but never decides.
   */
  actor?: string;
  /**
   * What a permission policy lets the caller read, within what they may read anyway (their own
   * requests, those they approve, everything for admins). Absent: no further limit.
   */
  readPolicy?: {
    filter: PermissionCriteria<RequestFilter>;
    allows(request: AccessRequest): boolean;
  };
}

/**
 * A caller who asks for access: flows match on every ref they act for (their groups), which the
 * user info service knows. Only the routes that match flows or assign work by group ask for it.
 */
export interface RequestingCaller extends Caller, Requester {}

export interface RequestServiceOptions {
  db: Knex;
  flows: AccessFlow[];
  bundles: AccessBundle[];
  resources: ResourceCatalog;
  catalog: CatalogService;
  auth: AuthService;
  notifier?: AccessNotifier;
  signals?: RequestSignals;
  /** For extensions: provisioners that keep an end in the target system move it. */
  provisioning?: {
    provisioners: ReadonlyMap<string, AccessProvisioner>;
    logger: LoggerService;
  };
  /** Where commands say that the provisioning engine has work (approval, revocation, extension). */
  events?: AccessEvents;
  now?: () => Date;
}

/** Where a request stood before a change, to tell who needs to hear about it. */
interface Before {
  status: RequestStatus;
  stage: number;
}

/** A request's life from submission to decision: the rules of the flows, applied. */
export class RequestService {
  private readonly store: RequestStore;
  private readonly flowsById: Map<string, AccessFlow>;

  constructor(private readonly options: RequestServiceOptions) {
    this.store = new RequestStore(options.db);
    this.flowsById = new Map(options.flows.map(flow => [flow.id, flow]));
  }

  /** Which flows would cover these items for the caller (for the grantee, when given). */
  async matchFlows(
    caller: RequestingCaller,
    items: AccessItem[],
    granteeRef?: string,
  ): Promise<FlowMatchResult> {
    const grantee = await this.grantee(caller, granteeRef);
    const resolved = await this.resolveItems(items);
    const { matches, uncovered } = matchFlows(
      this.options.flows,
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

  async submit(
    caller: RequestingCaller,
    submission: Submission,
  ): Promise<SubmissionResult> {
    const now = this.now();
    const granteeRef = await this.grantee(caller, submission.granteeRef);
    const onBehalf = granteeRef !== caller.userEntityRef;
    const resolved = await this.resolveItems(this.submittedItems(submission));

    const { matches, uncovered } = matchFlows(
      this.options.flows,
      resolved,
      caller,
      onBehalf,
    );
    if (uncovered.length > 0) {
      throw new InputError(`items: ${uncovered.map(u => u.reason).join('; ')}`);
    }
    if (
      submission.flowId &&
      !matches.some(m => m.flow.id === submission.flowId)
    ) {
      throw new InputError(
        `flowId: flow '${submission.flowId}' covers none of these items for you`,
      );
    }
    const { assigned, ambiguous } = assignFlows(matches, submission.flowId);
    if (ambiguous.length > 0) {
      const first = ambiguous[0];
      throw new InputError(
        `flowId: ${first.item.permission} on ${
          first.item.resourceRef
        } is covered by flows ${first.flowIds.join(
          ', ',
        )}; choose one with flowId`,
      );
    }
    const asked = new Set(
      assigned.flatMap(m => m.flow.questions.map(q => q.id)),
    );
    for (const key of Object.keys(submission.answers ?? {})) {
      if (!asked.has(key)) {
        throw new InputError(
          `answers.${key}: no flow of this request asks that question`,
        );
      }
    }

    const submissionId = randomUUID();
    const planned: NewRequest[] = [];
    for (const { flow, items } of assigned) {
      const timing = checkTiming(flow, submission, now);
      const answers = checkRequirements(flow, submission);
      const approvers = await resolveApprovers({
        flow,
        resources: uniqueResources(items),
        catalog: this.options.catalog,
        auth: this.options.auth,
      });
      assertApprovable(flow, approvers, [caller.userEntityRef, granteeRef]);
      planned.push({
        row: {
          id: randomUUID(),
          submission_id: submissionId,
          requester_ref: caller.userEntityRef,
          grantee_ref: granteeRef,
          flow_id: flow.id,
          status: 'pending_approval',
          status_reason: null,
          justification: submission.justification?.trim() || null,
          ticket_type: submission.ticket?.type ?? null,
          ticket_id: submission.ticket?.id ?? null,
          answers: JSON.stringify(answers),
          duration: timing.duration ?? null,
          starts_at: timing.startsAt ?? null,
          ends_at: timing.endsAt ?? null,
          pending_deadline: new Date(
            now.getTime() + Duration.fromISO(flow.pendingTimeout).toMillis(),
          ),
          bundle_id: submission.bundle?.id ?? null,
          created_at: now,
          updated_at: now,
        },
        items: items.map(item => ({
          id: randomUUID(),
          resourceRef: item.resourceRef,
          permission: item.permission,
          provisionerId: item.resource.integration,
        })),
        approvers,
      });
    }

    await this.options.db.transaction(async tx => {
      for (const request of planned) {
        await this.store.insert(tx, request);
        await appendAuditEvent(tx, {
          requestId: request.row.id,
          actorRef: caller.userEntityRef,
          action: 'submit',
          toStatus: 'pending_approval',
          details: onBehalf ? { onBehalfOf: granteeRef } : {},
          at: now,
        });
        const flow = this.flow(request.row.flow_id);
        if (flow.approval.stages.length === 0) {
          const row = {
            ...request.row,
            extends_request_id: request.row.extends_request_id ?? null,
            stage_started_at: request.row.created_at,
            reminded_stage: null,
            escalated_stage: null,
            version: 0,
            extensions_used: 0,
            current_stage: 0,
          };
          await this.approve(
            tx,
            row,
            caller.userEntityRef,
            'auto-approve',
            now,
          );
        }
      }
    });

    const created = await this.hydrate(
      await this.options
        .db<RequestRow>('access_requests')
        .whereIn(
          'id',
          planned.map(p => p.row.id),
        )
        .orderBy('flow_id'),
    );
    for (const request of created) {
      await this.announce(request);
    }
    await this.options.events?.emit('workAvailable');
    return { submissionId, requests: created };
  }

  async get(caller: Caller, id: string): Promise<AccessRequestDetails> {
    const row = await this.store.getRow(id);
    if (!row || !(await this.mayRead(caller, row))) {
      throw new NotFoundError(`No request ${id}`);
    }
    const [request] = await this.hydrate([row]);
    if (caller.readPolicy && !caller.readPolicy.allows(request)) {
      throw new NotFoundError(`No request ${id}`);
    }
    const audit = await listAuditEvents(this.options.db, id);
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

  /** Requests by id, for the permission framework to evaluate conditions on. */
  async getMany(ids: string[]): Promise<AccessRequest[]> {
    const rows = await this.options
      .db<RequestRow>('access_requests')
      .whereIn('id', ids);
    return this.hydrate(rows);
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
    const page = await this.store.list({
      ...query,
      userRef: caller.userEntityRef,
      filter: caller.readPolicy?.filter,
    });
    return {
      items: await this.hydrate(page.items),
      nextCursor: page.nextCursor,
    };
  }

  async inbox(
    caller: Caller,
    query: { state: 'pending' | 'decided'; limit: number; cursor?: string },
  ): Promise<Page<AccessRequest>> {
    const page = await this.store.inbox({
      ...query,
      userRef: caller.userEntityRef,
      filter: caller.readPolicy?.filter,
    });
    return {
      items: await this.hydrate(page.items),
      nextCursor: page.nextCursor,
    };
  }

  /** Records an approver's decision; the one that completes a stage moves the request on. */
  async decide(
    caller: Caller,
    id: string,
    decision: 'approve' | 'reject',
    reason: string | undefined,
  ): Promise<AccessRequest> {
    const now = this.now();
    const me = caller.userEntityRef;
    let before: Before | undefined;
    await this.options.db.transaction(async tx => {
      const row = await this.store.getRowForUpdate(tx, id);
      if (!row || !(await this.mayRead(caller, row, tx))) {
        throw new NotFoundError(`No request ${id}`);
      }
      before = { status: row.status, stage: Number(row.current_stage) };
      const flow = this.flow(row.flow_id);
      if (row.status !== 'pending_approval') {
        const who = (await this.store.decisions(tx, id))
          .map(d => `${d.approverRef} (${d.decision})`)
          .join(', ');
        throw new ConflictError(
          `The request is ${row.status}${who ? `; decided by ${who}` : ''}`,
        );
      }
      const stage = Number(row.current_stage);
      const isStageApprover = await tx('access_request_approvers')
        .where({ request_id: id, stage, approver_ref: me })
        .first();
      const chain = await this.store.chain(tx, id);
      checkDecision(
        {
          flow,
          deciderRef: me,
          ...(caller.actor ? { actor: caller.actor } : {}),
          stage,
          isStageApprover: Boolean(isStageApprover),
          chainPeople: chainPeople(chain),
          decisions: await this.store.decisions(tx, id),
        },
        decision,
        reason,
      );
      await this.store.insertApproval(tx, {
        id: randomUUID(),
        requestId: id,
        stage,
        approverRef: me,
        decision,
        reason: reason?.trim() || undefined,
        at: now,
      });

      if (decision === 'reject') {
        await applyTransition(tx, row, {
          to: 'rejected',
          actorRef: me,
          action: 'reject',
          reason: reason?.trim() || `Rejected by ${me}`,
          details: { stage },
          at: now,
        });
        await this.store.setGrantStates(tx, id, 'cancelled');
        return;
      }

      const approvals = await this.store.countApprovals(tx, id, stage);
      const needed = flow.approval.stages[stage]?.minApprovals ?? 1;
      if (approvals < needed) {
        await appendAuditEvent(tx, {
          requestId: id,
          actorRef: me,
          action: 'approve',
          fromStatus: row.status,
          toStatus: row.status,
          details: { stage, approvals, needed, ...(reason ? { reason } : {}) },
          at: now,
        });
        return;
      }
      if (stage + 1 < flow.approval.stages.length) {
        await applyTransition(tx, row, {
          to: 'pending_approval',
          actorRef: me,
          action: 'approve-stage',
          details: { stage, ...(reason ? { reason } : {}) },
          patch: { current_stage: stage + 1, stage_started_at: now },
          at: now,
        });
        return;
      }
      await this.approve(tx, row, me, 'approve', now, reason);
    });
    await this.options.events?.emit('workAvailable');
    return this.reread(caller, id, before);
  }

  /** The requester withdraws a request that has not started. */
  async cancel(
    caller: Caller,
    id: string,
    reason: string | undefined,
  ): Promise<AccessRequest> {
    const now = this.now();
    let before: Before | undefined;
    await this.options.db.transaction(async tx => {
      const row = await this.store.getRowForUpdate(tx, id);
      if (!row || !(await this.mayRead(caller, row, tx))) {
        throw new NotFoundError(`No request ${id}`);
      }
      before = { status: row.status, stage: Number(row.current_stage) };
      if (row.requester_ref !== caller.userEntityRef) {
        throw new NotAllowedError('Only the requester can cancel a request');
      }
      if (row.status !== 'pending_approval' && row.status !== 'scheduled') {
        throw new ConflictError(
          `Cannot cancel a request that is ${row.status}`,
        );
      }
      await applyTransition(tx, row, {
        to: 'cancelled',
        actorRef: caller.userEntityRef,
        action: 'cancel',
        reason: reason?.trim() || 'Cancelled by the requester',
        at: now,
      });
      await this.store.setGrantStates(tx, id, 'cancelled');
    });
    return this.reread(caller, id, before);
  }

  /**
   * Ends access before its time: the requester (of a delegated request too), the grantee, or an
   * admin. Access being granted or active is queued for revocation; a scheduled start is called off.
   */
  async revoke(
    caller: Caller,
    id: string,
    reason: string | undefined,
  ): Promise<AccessRequest> {
    const now = this.now();
    const me = caller.userEntityRef;
    let before: Before | undefined;
    await this.options.db.transaction(async tx => {
      const row = await this.store.getRowForUpdate(tx, id);
      if (!row || !(await this.mayRead(caller, row, tx))) {
        throw new NotFoundError(`No request ${id}`);
      }
      before = { status: row.status, stage: Number(row.current_stage) };
      if (
        !caller.isAdmin &&
        row.requester_ref !== me &&
        row.grantee_ref !== me
      ) {
        throw new NotAllowedError(
          'Only the requester, the grantee or an admin can revoke access',
        );
      }
      const why = reason?.trim() || `Revoked by ${me}`;
      if (!['scheduled', 'active', 'granting'].includes(row.status)) {
        throw new ConflictError(
          `Cannot revoke a request that is ${row.status}`,
        );
      }
      await this.endAccess(tx, row, me, why, now);
      // Extensions of this access end with it: approved ones are revoked, pending ones called off.
      const extensions = await tx<RequestRow>('access_requests')
        .where({ extends_request_id: id })
        .whereIn('status', [
          'pending_approval',
          'scheduled',
          'active',
          'granting',
        ]);
      for (const extension of extensions) {
        const locked = await this.store.getRowForUpdate(tx, extension.id);
        if (locked?.status === 'pending_approval') {
          await applyTransition(tx, locked, {
            to: 'cancelled',
            actorRef: me,
            action: 'cancel',
            reason: `The access it extends was revoked: ${why}`,
            at: now,
          });
          await this.store.setGrantStates(tx, locked.id, 'cancelled');
        } else if (locked) {
          await this.endAccess(tx, locked, me, why, now);
        }
      }
    });
    await this.options.events?.emit('workAvailable');
    return this.reread(caller, id, before);
  }

  /** Ends a scheduled, granting or active request's access, in the caller's transaction. */
  private async endAccess(
    tx: Knex.Transaction,
    row: RequestRow,
    actorRef: string,
    reason: string,
    now: Date,
  ) {
    if (row.status === 'scheduled') {
      await applyTransition(tx, row, {
        to: 'revoked',
        actorRef,
        action: 'revoke',
        reason,
        at: now,
      });
      await this.store.setGrantStates(tx, row.id, 'cancelled');
      return;
    }
    await applyTransition(tx, row, {
      to: 'revoking',
      actorRef,
      action: 'revoke',
      reason,
      at: now,
    });
    await new GrantStore(tx).beginRevocation(tx, row.id, 'revoked', now);
    // Nothing granted yet: the request is revoked at once.
    await settleRequest(tx, row.id, now);
  }

  /**
   * Extends active access, within the flow's `maxExtensions` and `maxDuration`. Without approval
   * the end moves at once (in the target system too, where the provisioner keeps an end). With
   * approval, a new request for the same access is made: it goes through the flow's stages and,
   * once approved, is granted at once and runs to the new end; the original ends at its own end
   * and the access stays because the overlapping grant covers it.
   */
  async extend(
    caller: Caller,
    id: string,
    ask: { duration?: string; endAt?: string; justification?: string },
  ): Promise<AccessRequest> {
    const now = this.now();
    const me = caller.userEntityRef;
    const row = await this.store.getRow(id);
    if (!row || !(await this.mayRead(caller, row))) {
      throw new NotFoundError(`No request ${id}`);
    }
    if (row.requester_ref !== me && row.grantee_ref !== me) {
      throw new NotAllowedError(
        'Only the requester or the grantee can extend access',
      );
    }
    if (row.status !== 'active') {
      throw new ConflictError(`Cannot extend a request that is ${row.status}`);
    }
    const flow = this.flow(row.flow_id);
    const { maxExtensions, requiresApproval } = flow.extension;
    if (maxExtensions === 0) {
      throw new ConflictError(`Flow '${flow.id}' does not allow extensions`);
    }
    if (row.extensions_used >= maxExtensions) {
      throw new ConflictError(
        `No extensions left: ${row.extensions_used} of ${maxExtensions} used`,
      );
    }
    const grants = await new GrantStore(this.options.db).forRequest(id);
    const currentEnd = readOptionalDate(row.ends_at)!;
    const newEnd = extendedEnd(currentEnd, ask);
    const chain = await this.store.chain(this.options.db, id);
    const start = await this.accessStart(
      chain[0].id === id ? row : undefined,
      chain[0].id,
    );
    checkWithinMaxDuration(
      flow,
      start,
      newEnd,
      ask.endAt ? 'endAt' : 'duration',
    );
    if (requiresApproval) {
      return this.askForExtension(caller, row, chain, flow, newEnd, ask, now);
    }

    // Move the end in the target systems first: if one refuses, nothing changes here.
    const active = grants.filter(g => g.state === 'active');
    for (const grant of active) {
      const { provisioners, logger } = this.options.provisioning ?? {};
      const provisioner = provisioners?.get(grant.provisioner_id);
      if (!provisioner?.extend || !logger) {
        continue;
      }
      try {
        await provisioner.extend(
          {
            grantId: grant.id,
            requestId: id,
            resourceRef: grant.resource_ref,
            permission: grant.permission,
            granteeRef: row.grantee_ref,
            startsAt: (readOptionalDate(row.starts_at) ?? start).toISOString(),
            endsAt: newEnd.toISOString(),
            ...(grant.external_id ? { externalId: grant.external_id } : {}),
          },
          {
            signal: AbortSignal.timeout(30_000),
            logger,
            idempotencyKey: `${grant.id}:extend:${row.extensions_used + 1}`,
          },
        );
      } catch (error) {
        const message = `Could not extend ${grant.permission} on ${
          grant.resource_ref
        }: ${(error as Error).message}`;
        // A permanent refusal will not change on a retry; a transient one may.
        throw isPermanentProvisioningError(error)
          ? new ConflictError(message)
          : new ServiceUnavailableError(message);
      }
    }
    let before: Before | undefined;
    await this.options.db.transaction(async tx => {
      const locked = await this.store.getRowForUpdate(tx, id);
      if (!locked || locked.version !== row.version) {
        throw new ConflictError(
          `The request changed meanwhile; it is now ${
            locked?.status ?? 'gone'
          }`,
        );
      }
      before = { status: locked.status, stage: Number(locked.current_stage) };
      await applyTransition(tx, locked, {
        to: 'active',
        actorRef: me,
        action: 'extend',
        details: {
          from: currentEnd.toISOString(),
          to: newEnd.toISOString(),
          extension: locked.extensions_used + 1,
        },
        patch: { ends_at: newEnd, extensions_used: locked.extensions_used + 1 },
        at: now,
      });
      await tx('access_grants')
        .where({ request_id: id })
        .whereIn('state', ['active', 'granting', 'queued'])
        .update({ expires_at: newEnd, version: tx.raw('version + 1') });
    });
    await this.options.events?.emit('workAvailable');
    return this.reread(caller, id, before);
  }

  /**
   * When the access of an extension chain began (see `chainStart`): `row` is the chain's original
   * when the caller has it already.
   */
  private async accessStart(
    row: RequestRow | undefined,
    originalId: string,
  ): Promise<Date> {
    const original = row ?? (await this.store.getRow(originalId))!;
    const grants = await new GrantStore(this.options.db).forRequest(
      original.id,
    );
    const firstGrantedAt = grants
      .map(g => readOptionalDate(g.granted_at))
      .filter((d): d is Date => Boolean(d))
      .sort((a, b) => a.getTime() - b.getTime())[0];
    const startsAt = readOptionalDate(original.starts_at);
    return chainStart({
      ...(startsAt ? { startsAt } : {}),
      ...(firstGrantedAt ? { firstGrantedAt } : {}),
      createdAt: readDate(original.created_at),
    });
  }

  /** An extension that needs approval: a new request for the same access, up to the new end. */
  private async askForExtension(
    caller: Caller,
    parent: RequestRow,
    chain: ChainLink[],
    flow: AccessFlow,
    newEnd: Date,
    ask: { justification?: string },
    now: Date,
  ): Promise<AccessRequest> {
    const pending = await this.options
      .db<RequestRow>('access_requests')
      .where({ extends_request_id: parent.id, status: 'pending_approval' })
      .first();
    if (pending) {
      throw new ConflictError(
        `An extension of this request is waiting for approval already: ${pending.id}`,
      );
    }
    const justification = ask.justification?.trim();
    if (
      flow.justification.required &&
      (justification?.length ?? 0) < Math.max(1, flow.justification.minLength)
    ) {
      throw new InputError(
        `justification: flow '${
          flow.id
        }' requires a justification of at least ${Math.max(
          1,
          flow.justification.minLength,
        )} characters`,
      );
    }
    const [request] = await this.hydrate([parent]);
    const resolved = await this.resolveItems(
      request.items.map(({ resourceRef, permission }) => ({
        resourceRef,
        permission,
      })),
    );
    const approvers = await resolveApprovers({
      flow,
      resources: uniqueResources(resolved),
      catalog: this.options.catalog,
      auth: this.options.auth,
    });
    assertApprovable(
      flow,
      approvers,
      chainPeople([
        ...chain,
        {
          id: 'asked',
          requesterRef: caller.userEntityRef,
          granteeRef: parent.grantee_ref,
        },
      ]),
    );
    const childId = randomUUID();
    await this.options.db.transaction(async tx => {
      const locked = await this.store.getRowForUpdate(tx, parent.id);
      if (!locked || locked.version !== parent.version) {
        throw new ConflictError(
          `The request changed meanwhile; it is now ${
            locked?.status ?? 'gone'
          }`,
        );
      }
      await this.store.insert(tx, {
        row: {
          id: childId,
          submission_id: randomUUID(),
          requester_ref: caller.userEntityRef,
          grantee_ref: parent.grantee_ref,
          flow_id: flow.id,
          status: 'pending_approval',
          status_reason: null,
          justification: justification || parent.justification,
          ticket_type: parent.ticket_type,
          ticket_id: parent.ticket_id,
          answers: parent.answers,
          duration: null,
          starts_at: null,
          ends_at: newEnd,
          pending_deadline: new Date(
            now.getTime() + Duration.fromISO(flow.pendingTimeout).toMillis(),
          ),
          bundle_id: parent.bundle_id,
          extends_request_id: parent.id,
          extensions_used: parent.extensions_used + 1,
          created_at: now,
          updated_at: now,
        },
        items: resolved.map(item => ({
          id: randomUUID(),
          resourceRef: item.resourceRef,
          permission: item.permission,
          provisionerId: item.resource.integration,
        })),
        approvers,
      });
      await appendAuditEvent(tx, {
        requestId: childId,
        actorRef: caller.userEntityRef,
        action: 'submit',
        toStatus: 'pending_approval',
        details: { extends: parent.id, to: newEnd.toISOString() },
        at: now,
      });
      await applyTransition(tx, locked, {
        to: 'active',
        actorRef: caller.userEntityRef,
        action: 'ask-extension',
        details: { extensionRequestId: childId, to: newEnd.toISOString() },
        patch: { extensions_used: locked.extensions_used + 1 },
        at: now,
      });
    });
    const [child] = await this.hydrate([(await this.store.getRow(childId))!]);
    await this.announce(child);
    return child;
  }

  /**
   * Asks again for what a closed request asked for: a new submission with a new justification,
   * under today's flows and rules.
   */
  async requestAgain(
    caller: RequestingCaller,
    id: string,
    changes: Partial<Submission>,
  ): Promise<SubmissionResult> {
    const row = await this.store.getRow(id);
    if (!row || !(await this.mayRead(caller, row))) {
      throw new NotFoundError(`No request ${id}`);
    }
    if (row.requester_ref !== caller.userEntityRef) {
      throw new NotAllowedError('Only the requester can request this again');
    }
    if (!isTerminalStatus(row.status)) {
      throw new ConflictError(
        `Only a closed request can be requested again; this one is ${row.status}`,
      );
    }
    const [request] = await this.hydrate([row]);
    return this.submit(caller, withChanges(submissionOf(request), changes));
  }

  /**
   * Fails pending requests whose flow's pending timeout has passed ("approval timed out") and
   * tells the requester. Returns how many it failed; run by a scheduler task.
   */
  async failOverdue(limit = 500): Promise<number> {
    const now = this.now();
    const due = await this.options
      .db<RequestRow>('access_requests')
      .where('status', 'pending_approval')
      .where('pending_deadline', '<=', now)
      .orderBy('pending_deadline')
      .limit(limit)
      .select('id');
    let failed = 0;
    for (const { id } of due) {
      let before: Before | undefined;
      await this.options.db.transaction(async tx => {
        const row = await this.store.getRowForUpdate(tx, id);
        const deadline = readOptionalDate(row?.pending_deadline);
        if (
          !row ||
          row.status !== 'pending_approval' ||
          !deadline ||
          deadline > now
        ) {
          return; // decided or changed meanwhile
        }
        before = { status: row.status, stage: Number(row.current_stage) };
        await applyTransition(tx, row, {
          to: 'failed',
          actorRef: SYSTEM_ACTOR,
          action: 'timeout',
          reason: 'approval timed out',
          at: now,
        });
        await this.store.setGrantStates(tx, id, 'cancelled');
      });
      if (before) {
        failed += 1;
        const [request] = await this.hydrate([(await this.store.getRow(id))!]);
        await this.announce(request, before);
      }
    }
    return failed;
  }

  /**
   * The last approval: the grant work is recorded with the status (the provisioning engine picks
   * it up), due at the requested start.
   */
  private async approve(
    tx: Knex.Transaction,
    row: RequestRow,
    actorRef: string,
    action: string,
    now: Date,
    reason?: string,
  ): Promise<void> {
    const startsAt = readOptionalDate(row.starts_at);
    const scheduled =
      startsAt !== undefined && startsAt.getTime() > now.getTime();
    // A duration counts from the start of the access: the approval, or the scheduled start.
    const endsAt =
      readOptionalDate(row.ends_at) ??
      (row.duration
        ? new Date(
            (startsAt ?? now).getTime() +
              Duration.fromISO(row.duration).toMillis(),
          )
        : null);
    await applyTransition(tx, row, {
      to: scheduled ? 'scheduled' : 'granting',
      actorRef,
      action,
      details: reason ? { reason } : {},
      patch: { ends_at: endsAt },
      at: now,
    });
    await this.store.setGrantStates(tx, row.id, 'queued', {
      next_attempt_at: scheduled ? startsAt : now,
      expires_at: endsAt,
    });
  }

  /** The request after a change, announced to whoever needs to hear of it. */
  private async reread(
    caller: Caller,
    id: string,
    before?: Before,
  ): Promise<AccessRequest> {
    const { audit, ...request } = await this.get(caller, id);
    await this.announce(request, before);
    return request;
  }

  /** Announces the status changes the provisioning engine made. */
  async announceChanges(
    changes: Array<{ requestId: string; from: RequestStatus }>,
  ): Promise<void> {
    // Announce each request once, as it is now, against where it stood first.
    const firstFrom = new Map<string, RequestStatus>();
    for (const change of changes) {
      if (!firstFrom.has(change.requestId)) {
        firstFrom.set(change.requestId, change.from);
      }
    }
    const rows = await this.options
      .db<RequestRow>('access_requests')
      .whereIn('id', [...firstFrom.keys()]);
    for (const request of await this.hydrate(rows)) {
      await this.announce(request, {
        status: firstFrom.get(request.id)!,
        stage: request.currentStage,
      });
    }
  }

  private async announce(
    request: AccessRequest,
    before?: Before,
  ): Promise<void> {
    await this.options.signals?.changed(request);
    const notifier = this.options.notifier;
    if (!notifier) {
      return;
    }
    if (request.status === 'pending_approval') {
      if (!before || before.stage !== request.currentStage) {
        await notifier.awaitingApproval(
          request,
          await this.mayStillDecide(request),
        );
      }
      return;
    }
    if (before?.status === request.status) {
      return;
    }
    await notifier.statusChanged(request);
    if (before?.status === 'pending_approval') {
      await notifier.approvalClosed(request);
    }
  }

  /** The current stage's approvers who may still decide it. */
  private async mayStillDecide(request: AccessRequest): Promise<string[]> {
    const flow = this.flowsById.get(request.flowId);
    if (!flow) {
      return [];
    }
    const chain = request.extendsRequestId
      ? await this.store.chain(this.options.db, request.id)
      : [request];
    return eligibleDeciders({
      flow,
      stage: request.currentStage,
      stageApprovers: request.approvers
        .filter(a => a.stage === request.currentStage)
        .map(a => a.entityRef),
      chainPeople: chainPeople(chain),
      decisions: request.approvals,
    });
  }

  private async mayRead(
    caller: Caller,
    row: RequestRow,
    db: Knex = this.options.db,
  ) {
    const me = caller.userEntityRef;
    if (caller.isAdmin || row.requester_ref === me || row.grantee_ref === me) {
      return true;
    }
    const approver = await db('access_request_approvers')
      .where({ request_id: row.id, approver_ref: me })
      .first();
    return Boolean(approver);
  }

  /**
   * Who receives the access: the caller, or the user they name. A named grantee must be a User
   * entity in the catalog, so access is never granted to a name nobody signs in as.
   */
  private async grantee(
    caller: Caller,
    granteeRef: string | undefined,
  ): Promise<string> {
    if (!granteeRef) {
      return caller.userEntityRef;
    }
    const ref = normaliseEntityRef(granteeRef, {
      defaultKind: 'user',
      field: 'granteeRef',
      kinds: ['user'],
    });
    if (ref === caller.userEntityRef) {
      return ref;
    }
    const user = await this.options.catalog.getEntityByRef(ref, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
    if (!user || user.kind.toLocaleLowerCase('en-US') !== 'user') {
      throw new InputError(`granteeRef: no user ${ref} in the catalog`);
    }
    return ref;
  }

  private submittedItems(submission: Submission): AccessItem[] {
    const items: AccessItem[] = [...(submission.items ?? [])];
    if (submission.bundle) {
      const bundle = this.options.bundles.find(
        b => b.id === submission.bundle!.id,
      );
      if (!bundle) {
        throw new InputError(`bundle.id: no bundle '${submission.bundle.id}'`);
      }
      const picked = submission.bundle.items ?? bundle.items;
      for (const [index, item] of picked.entries()) {
        const ref = normaliseEntityRef(item.resourceRef, {
          defaultKind: 'resource',
          field: `bundle.items[${index}].resourceRef`,
        });
        if (
          !bundle.items.some(
            b => b.resourceRef === ref && b.permission === item.permission,
          )
        ) {
          throw new InputError(
            `bundle.items[${index}]: ${item.permission} on ${ref} is not part of bundle '${bundle.id}'`,
          );
        }
        items.push({ resourceRef: ref, permission: item.permission });
      }
    }
    return items;
  }

  private async resolveItems(items: AccessItem[]): Promise<ResolvedItem[]> {
    const normalised = items.map((item, index) => ({
      resourceRef: normaliseEntityRef(item.resourceRef, {
        defaultKind: 'resource',
        field: `items[${index}].resourceRef`,
      }),
      permission: item.permission,
    }));
    const unique = new Map(
      normalised.map(i => [`${i.resourceRef}\u0000${i.permission}`, i]),
    );
    // Refuses catalog entities nobody accepted, saying why (see resources/trust.ts).
    const resources = await this.options.resources.getRequestable(
      [...unique.values()].map(i => i.resourceRef),
    );
    const missing = [
      ...new Set([...unique.values()].map(i => i.resourceRef)),
    ].filter(ref => !resources.has(ref));
    if (missing.length > 0) {
      throw new InputError(
        `items: no requestable resource ${missing.slice(0, 5).join(', ')}`,
      );
    }
    return [...unique.values()].map(i => ({
      ...i,
      resource: resources.get(i.resourceRef)!,
    }));
  }

  private flow(id: string): AccessFlow {
    const flow = this.flowsById.get(id);
    if (!flow) {
      throw new ConflictError(
        `The request's flow '${id}' is no longer configured`,
      );
    }
    return flow;
  }

  hydrate(rows: ShownRequestRow[]) {
    return this.store.hydrate(rows, flowId => {
      const flow = this.flowsById.get(flowId);
      return {
        stageCount: flow?.approval.stages.length ?? 0,
        maxExtensions: flow?.extension.maxExtensions ?? 0,
        extensionRequiresApproval: flow?.extension.requiresApproval ?? false,
        durations: flow?.durations ?? [],
        requireReason: flow?.approval.requireReason ?? 'none',
      };
    });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function uniqueResources(items: ResolvedItem[]) {
  return [
    ...new Map(items.map(item => [item.resource.ref, item.resource])).values(),
  ];
}

/** The submission that would ask for the same access again (the justification is the caller's). */
export function submissionOf(request: AccessRequest): Submission {
  return {
    items: request.items.map(({ resourceRef, permission }) => ({
      resourceRef,
      permission,
    })),
    ...(request.granteeRef !== request.requesterRef
      ? { granteeRef: request.granteeRef }
      : {}),
    flowId: request.flowId,
    ...(request.duration ? { duration: request.duration } : {}),
    ...(request.ticket ? { ticket: request.ticket } : {}),
    ...(Object.keys(request.answers).length > 0
      ? { answers: request.answers }
      : {}),
  };
}

/** A template with this time's changes; a new end replaces the old duration and vice versa. */
export function withChanges(
  template: Submission,
  changes: Partial<Submission>,
): Submission {
  const merged = { ...template, ...changes };
  if (changes.endAt) {
    delete merged.duration;
  }
  if (changes.duration) {
    delete merged.endAt;
  }
  return merged;
}

/** The end an extension asks for: a duration added to the current end, or an explicit end. */
function extendedEnd(
  currentEnd: Date,
  ask: { duration?: string; endAt?: string },
): Date {
  if (ask.duration && ask.endAt) {
    throw new InputError('duration: give either duration or endAt, not both');
  }
  if (ask.endAt) {
    const end = new Date(ask.endAt);
    if (end.getTime() <= currentEnd.getTime()) {
      throw new InputError(
        `endAt: ${
          ask.endAt
        } is not after the current end ${currentEnd.toISOString()}`,
      );
    }
    return end;
  }
  if (!ask.duration) {
    throw new InputError('duration: say how long to extend (or give endAt)');
  }
  const duration = parseRequestedDuration(ask.duration);
  if (!duration) {
    throw new InputError(
      `duration: '${ask.duration}' is not a positive ISO-8601 duration`,
    );
  }
  return new Date(currentEnd.getTime() + duration.toMillis());
}
