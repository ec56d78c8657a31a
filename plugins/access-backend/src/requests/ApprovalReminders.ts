import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AccessFlow,
  AccessRequestApprover,
} from '@jit-access/plugin-access-common';
import { Duration } from 'luxon';
import { appendAuditEvent, SYSTEM_ACTOR } from '../database/audit';
import { ApprovalStore } from '../database/requests/ApprovalStore';
import { DueFor, ReminderStore } from '../database/requests/ReminderStore';
import { RequestRecord } from '../database/requests/requestRows';
import { AccessStores } from '../database/AccessDatabase';
import { RequestStore } from '../database/requests/RequestStore';
import { AccessNotifier } from '../notify/AccessNotifier';
import { ChatOutbox } from '../notify/ChatOutbox';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { mayStillDecide } from './announcements';
import { resolveApprovers } from './approvers';
import { FlowLookup } from './flows';
import { flowForChannel } from './rules/agentPolicy';
import { RequestReader } from './RequestReader';

/**
 * Keeps pending requests moving: reminds the approvers of the current stage who have not decided,
 * once per stage, `remindBefore` ahead of the pending timeout (by default half-way); and, when a
 * stage has an `escalation`, lets its escalation approvers decide too once the stage has waited
 * `after`, and tells them.
 */
export class ApprovalReminders {
  private readonly flows: FlowLookup;
  private readonly reader: RequestReader;
  private readonly store: RequestStore;
  private readonly approvals: ApprovalStore;
  private readonly reminders: ReminderStore;

  constructor(
    private readonly options: {
      stores: AccessStores;
      flows: AccessFlow[];
      resources: ResourceCatalog;
      catalog: CatalogService;
      auth: AuthService;
      notifier?: AccessNotifier;
      /** Escalation approvers get the approval message in chat too. */
      chat?: ChatOutbox;
      now?: () => Date;
    },
  ) {
    this.flows = new FlowLookup(options.flows);
    this.reader = new RequestReader(options.stores, this.flows);
    this.store = options.stores.requests;
    this.approvals = options.stores.approvals;
    this.reminders = options.stores.reminders;
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
    for (const flow of this.flows.all) {
      const remindFrom = new Date(now + remindBeforeMillis(flow));
      reminded += await this.eachPending(
        pageSize,
        { reminder: { flowId: flow.id, remindFrom } },
        request => this.remind(request, flow),
      );
      for (const [stage, { escalation }] of flow.approval.stages.entries()) {
        if (!escalation) continue;
        const waitingSince = new Date(
          now - Duration.fromISO(escalation.after).toMillis(),
        );
        escalated += await this.eachPending(
          pageSize,
          { escalation: { flowId: flow.id, stage, waitingSince } },
          request => this.escalate(request, flow),
        );
      }
    }
    return { reminded, escalated };
  }

  /**
   * Hands each pending request that is `due` to `visit`, in pages by id; returns how many visits
   * did something.
   */
  private async eachPending(
    pageSize: number,
    due: DueFor,
    visit: (request: RequestRecord) => Promise<boolean>,
  ): Promise<number> {
    let done = 0;
    let after = '';
    for (;;) {
      const page = await this.reminders.duePage(due, after, pageSize);
      for (const request of page) {
        if (await visit(request)) done += 1;
      }
      if (page.length < pageSize) {
        return done;
      }
      after = page[page.length - 1].id;
    }
  }

  /** Reminds the approvers of the request's current stage who have not decided yet. */
  private async remind(record: RequestRecord, flow: AccessFlow) {
    const stage = record.currentStage;
    const deadline = record.pendingDeadline;
    if (!deadline) {
      return false; // never selected: the query compares deadlines
    }
    if (!(await this.reminders.claimReminder(record.id, stage))) {
      return false; // decided, or another instance reminded
    }
    const [request] = await this.reader.hydrate([record]);
    const recipients = await mayStillDecide(
      this.store,
      flowForChannel(flow, record.channel),
      request,
    );
    await this.audit(record.id, 'remind', { stage, recipients }, this.now());
    await this.options.notifier?.reminder(request, recipients, deadline);
    return true;
  }

  /** Lets the escalation approvers of the request's current stage decide too, and tells them. */
  private async escalate(record: RequestRecord, flow: AccessFlow) {
    const stage = record.currentStage;
    const escalation = flow.approval.stages[stage]?.escalation;
    if (!escalation) {
      return false;
    }
    const [request] = await this.reader.hydrate([record]);
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
    const claimed = await this.store.transaction(async tx => {
      if (!(await this.reminders.claimEscalation(tx, record.id, stage))) {
        return false;
      }
      await this.approvals.addApprovers(tx, record.id, added);
      await appendAuditEvent(tx, {
        requestId: record.id,
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
    const escalated = await this.reader.byId(record.id);
    await this.options.notifier?.escalated(
      escalated,
      added.map(a => a.entityRef),
    );
    // As if new to the stage: those who have their message already are not sent another.
    await this.options.chat?.requestChanged(escalated, undefined, async () =>
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
    await this.store.transaction(tx =>
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
