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
import { readDate, readOptionalDate } from '../lib/dates';
import { AccessNotifier } from '../notify/AccessNotifier';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { resolveApprovers } from './approvers';
import { RequestRow } from './RequestStore';

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
   * One sweep over every pending request not yet reminded or escalated in its current stage, a
   * page at a time (most are not due; none may hide behind them); returns what it sent.
   */
  async run(pageSize = 500): Promise<{ reminded: number; escalated: number }> {
    const now = this.now();
    let reminded = 0;
    let escalated = 0;
    let after = '';
    for (;;) {
      const pending = await this.options
        .db<RequestRow>('access_requests')
        .where('status', 'pending_approval')
        .where('id', '>', after)
        .where(q =>
          q
            .whereNull('reminded_stage')
            .orWhereRaw('reminded_stage <> current_stage')
            .orWhereNull('escalated_stage')
            .orWhereRaw('escalated_stage <> current_stage'),
        )
        .orderBy('id')
        .limit(pageSize);
      for (const row of pending) {
        const flow = this.flowsById.get(row.flow_id);
        if (!flow) continue;
        if (await this.remindIfDue(row, flow, now)) reminded += 1;
        if (await this.escalateIfDue(row, flow, now)) escalated += 1;
      }
      if (pending.length < pageSize) {
        return { reminded, escalated };
      }
      after = pending[pending.length - 1].id;
    }
  }

  private async remindIfDue(row: RequestRow, flow: AccessFlow, now: Date) {
    const stage = Number(row.current_stage);
    const deadline = readOptionalDate(row.pending_deadline);
    if (!deadline || row.reminded_stage === stage) {
      return false;
    }
    const timeout = Duration.fromISO(flow.pendingTimeout).toMillis();
    const before = flow.approval.remindBefore
      ? Duration.fromISO(flow.approval.remindBefore).toMillis()
      : timeout / 2;
    if (deadline.getTime() - before > now.getTime()) {
      return false;
    }
    const claimed = await this.options
      .db('access_requests')
      .where({ id: row.id, status: 'pending_approval', current_stage: stage })
      .where(q =>
        q.whereNull('reminded_stage').orWhereNot('reminded_stage', stage),
      )
      .update({ reminded_stage: stage });
    if (claimed !== 1) {
      return false; // decided, or another instance reminded
    }
    const [request] = await this.options.hydrate([
      { ...row, reminded_stage: stage },
    ]);
    const decided = new Set(
      request.approvals.filter(a => a.stage === stage).map(a => a.approverRef),
    );
    const recipients = request.approvers
      .filter(a => a.stage === stage && !decided.has(a.entityRef))
      .map(a => a.entityRef)
      .filter(
        ref =>
          flow.approval.allowSelfApproval ||
          (ref !== request.requesterRef && ref !== request.granteeRef),
      );
    await this.audit(row.id, 'remind', { stage, recipients }, now);
    await this.options.notifier?.reminder(request, recipients, deadline);
    return true;
  }

  private async escalateIfDue(row: RequestRow, flow: AccessFlow, now: Date) {
    const stage = Number(row.current_stage);
    const escalation = flow.approval.stages[stage]?.escalation;
    if (!escalation || row.escalated_stage === stage) {
      return false;
    }
    const waitingSince = readDate(row.stage_started_at ?? row.created_at);
    const after = Duration.fromISO(escalation.after).toMillis();
    if (waitingSince.getTime() + after > now.getTime()) {
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
        .where(q =>
          q.whereNull('escalated_stage').orWhereNot('escalated_stage', stage),
        )
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
        at: now,
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
