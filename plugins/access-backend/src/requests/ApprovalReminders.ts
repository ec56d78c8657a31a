import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AccessFlow,
  AccessRequest,
  AccessRequestApprover,
} from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { Duration } from 'luxon';
import { appendAuditEvent, SYSTEM_ACTOR } from '../audit/auditLog';
import { readOptionalDate } from '../lib/dates';
import { AccessNotifier } from '../notify/AccessNotifier';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { resolveApprovers } from './approvers';
import { RequestRow, RequestStore } from './RequestStore';
import { eligibleDeciders } from './rules/decisionRules';
import { chainPeople } from './rules/extensionRules';

/**
 * Keeps pending requests moving: reminds the approvers of the current stage who have not decided,
 * once per stage, `remindBefore` ahead of the pending timeout (by default half-way); and, when a
 * stage has an `escalation`, lets its escalation approvers decide too once the stage has waited
 * `after`, and tells them.
 */
export class ApprovalReminders {
  private readonly flowsById: Map<string, AccessFlow>;

  constructor(
    private readonly options: {
      db: Knex;
      flows: AccessFlow[];
      resources: ResourceCatalog;
      catalog: CatalogService;
      auth: AuthService;
      notifier?: AccessNotifier;
      hydrate: (rows: RequestRow[]) => Promise<AccessRequest[]>;
      now?: () => Date;
    },
  ) {
    this.flowsById = new Map(options.flows.map(f => [f.id, f]));
  }

  /**
   * One sweep: reminds and escalates the pending requests that are due, a page at a time. Only
   * due requests are read (the thresholds are each flow's constants, compared in SQL), so a
   * sweep over thousands of pending requests that are not due costs a few index look-ups, not
   * a pass over all of them in this process. Returns what it sent.
   */
  async run(pageSize = 500): Promise<{ reminded: number; escalated: number }> {
    const now = this.now().getTime();
    let reminded = 0;
    let escalated = 0;
    for (const flow of this.flowsById.values()) {
      const remindFrom = new Date(now + remindBeforeMillis(flow));
      reminded += await this.eachPending(
        pageSize,
        q =>
          q
            .where('flow_id', flow.id)
            .where('pending_deadline', '<=', remindFrom)
            .where(notYetInThisStage('reminded_stage')),
        row => this.remind(row, flow),
      );
      for (const [stage, { escalation }] of flow.approval.stages.entries()) {
        if (!escalation) continue;
        const waitingSince = new Date(
          now - Duration.fromISO(escalation.after).toMillis(),
        );
        escalated += await this.eachPending(
          pageSize,
          q =>
            q
              .where({ flow_id: flow.id, current_stage: stage })
              .where(notYetInThisStage('escalated_stage'))
              .where(since =>
                since
                  .where('stage_started_at', '<=', waitingSince)
                  .orWhere(created =>
                    created
                      .whereNull('stage_started_at')
                      .where('created_at', '<=', waitingSince),
                  ),
              ),
          row => this.escalate(row, flow),
        );
      }
    }
    return { reminded, escalated };
  }

  /**
   * Hands each pending request that `due` selects to `visit`, in pages by id; returns how many
   * visits did something.
   */
  private async eachPending(
    pageSize: number,
    due: (query: Knex.QueryBuilder<RequestRow>) => Knex.QueryBuilder,
    visit: (row: RequestRow) => Promise<boolean>,
  ): Promise<number> {
    let done = 0;
    let after = '';
    for (;;) {
      const page: RequestRow[] = await due(
        this.options
          .db<RequestRow>('access_requests')
          .where('status', 'pending_approval')
          .where('id', '>', after),
      )
        .orderBy('id')
        .limit(pageSize);
      for (const row of page) {
        if (await visit(row)) done += 1;
      }
      if (page.length < pageSize) {
        return done;
      }
      after = page[page.length - 1].id;
    }
  }

  /** Reminds the approvers of the request's current stage who have not decided yet. */
  private async remind(row: RequestRow, flow: AccessFlow) {
    const stage = Number(row.current_stage);
    const deadline = readOptionalDate(row.pending_deadline);
    if (!deadline) {
      return false; // never selected: the query compares deadlines
    }
    const claimed = await this.options
      .db('access_requests')
      .where({ id: row.id, status: 'pending_approval', current_stage: stage })
      .where(notYetInThisStage('reminded_stage'))
      .update({ reminded_stage: stage });
    if (claimed !== 1) {
      return false; // decided, or another instance reminded
    }
    const [request] = await this.options.hydrate([
      { ...row, reminded_stage: stage },
    ]);
    const chain = request.extendsRequestId
      ? await new RequestStore(this.options.db).chain(this.options.db, row.id)
      : [request];
    const recipients = eligibleDeciders({
      flow,
      stage,
      stageApprovers: request.approvers
        .filter(a => a.stage === stage)
        .map(a => a.entityRef),
      chainPeople: chainPeople(chain),
      decisions: request.approvals,
    });
    await this.audit(row.id, 'remind', { stage, recipients }, this.now());
    await this.options.notifier?.reminder(request, recipients, deadline);
    return true;
  }

  /** Lets the escalation approvers of the request's current stage decide too, and tells them. */
  private async escalate(row: RequestRow, flow: AccessFlow) {
    const stage = Number(row.current_stage);
    const escalation = flow.approval.stages[stage]?.escalation;
    if (!escalation) {
      return false;
    }
    const [request] = await this.options.hydrate([row]);
    const resources = await this.options.resources.getByRefs([
      ...new Set(request.items.map(i => i.resourceRef)),
    ]);
    // The escalation approvers, resolved like a stage's own (owners, users, group members).
    const resolved = await resolveApprovers({
      flow: {
        ...flow,
        approval: {
          ...flow.approval,
          stages: flow.approval.stages.map((_, index) => ({
            approvers: index === stage ? escalation.approvers : [],
            minApprovals: 1,
          })),
        },
      },
      resources: [...resources.values()],
      catalog: this.options.catalog,
      auth: this.options.auth,
    });
    const already = new Set(
      request.approvers.filter(a => a.stage === stage).map(a => a.entityRef),
    );
    const added: AccessRequestApprover[] = resolved
      .filter(a => a.stage === stage && !already.has(a.entityRef))
      .map(a => ({
        ...a,
        why: `escalated after ${escalation.after} waiting: ${a.why}`,
      }));
    const claimed = await this.options.db.transaction(async tx => {
      const updated = await tx('access_requests')
        .where({ id: row.id, status: 'pending_approval', current_stage: stage })
        .where(notYetInThisStage('escalated_stage'))
        .update({ escalated_stage: stage });
      if (updated !== 1) {
        return false;
      }
      if (added.length > 0) {
        await tx('access_request_approvers').insert(
          added.map(a => ({
            request_id: row.id,
            stage,
            approver_ref: a.entityRef,
            why: a.why,
          })),
        );
      }
      await appendAuditEvent(tx, {
        requestId: row.id,
        actorRef: SYSTEM_ACTOR,
        action: 'escalate',
        details: { stage, added: added.map(a => a.entityRef) },
        at: this.now(),
      });
      return true;
    });
    if (!claimed) {
      return false;
    }
    const [updated] = await this.options.hydrate([
      (await this.options
        .db<RequestRow>('access_requests')
        .where({ id: row.id })
        .first())!,
    ]);
    await this.options.notifier?.escalated(
      updated,
      added.map(a => a.entityRef),
    );
    return true;
  }

  private async audit(
    requestId: string,
    action: string,
    details: Record<string, unknown>,
    at: Date,
  ) {
    await this.options.db.transaction(tx =>
      appendAuditEvent(tx, {
        requestId,
        actorRef: SYSTEM_ACTOR,
        action,
        details,
        at,
      }),
    );
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }
}

/** How long before the pending deadline the approvers are reminded: half the timeout by default. */
function remindBeforeMillis(flow: AccessFlow): number {
  return flow.approval.remindBefore
    ? Duration.fromISO(flow.approval.remindBefore).toMillis()
    : Duration.fromISO(flow.pendingTimeout).toMillis() / 2;
}

/** Not yet done in the request's current stage (`column` records the stage it was done in). */
function notYetInThisStage(column: 'reminded_stage' | 'escalated_stage') {
  return (q: Knex.QueryBuilder) =>
    q.whereNull(column).orWhereRaw('?? <> ??', [column, 'current_stage']);
}
