import { ConflictError, NotFoundError } from '@backstage/errors';
import { AccessRequest } from '@jit-access/plugin-access-common';
import { randomUUID } from 'node:crypto';
import { appendAuditEvent } from '../../database/audit';
import { transitionRequest } from '../../database/requests/transitions';
import { Before } from '../announcements';
import { Caller } from '../caller';
import { RequestContext } from '../context';
import { checkDecision } from '../rules/decisionRules';
import { chainPeople } from '../rules/extensionRules';
import { approve } from './approve';

/** Where a decision made in chat came from, recorded beside the Backstage user. */
export interface DecidedVia {
  channel: 'slack' | 'teams';
  chatUserId: string;
}

/** Records an approver's decision; the one that completes a stage moves the request on. */
export async function decide(
  ctx: RequestContext,
  caller: Caller,
  id: string,
  decision: 'approve' | 'reject',
  reason: string | undefined,
  via?: DecidedVia,
): Promise<AccessRequest> {
  const now = ctx.now();
  // In the audit trail, a chat decision names its channel and chat user.
  const viaDetails = via
    ? { channel: via.channel, chatUserId: via.chatUserId }
    : {};
  const me = caller.userEntityRef;
  const { store, approvals } = ctx;
  let before: Before | undefined;
  await store.transaction(async tx => {
    const request = await store.getForUpdate(tx, id);
    if (!request || !(await ctx.reader.mayRead(caller, request, tx))) {
      throw new NotFoundError(`No request ${id}`);
    }
    before = { status: request.status, stage: request.currentStage };
    const flow = ctx.flows.forRequest(request);
    if (request.status !== 'pending_approval') {
      const who = (await approvals.decisions(tx, id))
        .map(d => `${d.approverRef} (${d.decision})`)
        .join(', ');
      throw new ConflictError(
        `The request is ${request.status}${who ? `; decided by ${who}` : ''}`,
      );
    }
    const stage = request.currentStage;
    const isStageApprover = await approvals.isStageApprover(tx, id, stage, me);
    const chain = await store.chain(id, tx);
    checkDecision(
      {
        flow,
        deciderRef: me,
        ...(caller.actor ? { actor: caller.actor } : {}),
        stage,
        isStageApprover,
        chainPeople: chainPeople(chain),
        decisions: await approvals.decisions(tx, id),
      },
      decision,
      reason,
    );
    await approvals.insertDecision(tx, {
      id: randomUUID(),
      requestId: id,
      stage,
      approverRef: me,
      decision,
      reason: reason?.trim() || undefined,
      at: now,
      via,
    });

    if (decision === 'reject') {
      await transitionRequest(tx, request, {
        to: 'rejected',
        actorRef: me,
        action: 'reject',
        reason: reason?.trim() || `Rejected by ${me}`,
        details: { stage, ...viaDetails },
        at: now,
      });
      await store.cancelGrants(tx, id);
      return;
    }

    const approvalCount = await approvals.countApprovals(tx, id, stage);
    const needed = flow.approval.stages[stage]?.minApprovals ?? 1;
    if (approvalCount < needed) {
      await appendAuditEvent(tx, {
        requestId: id,
        actorRef: me,
        action: 'approve',
        fromStatus: request.status,
        toStatus: request.status,
        details: {
          stage,
          approvals: approvalCount,
          needed,
          ...(reason ? { reason } : {}),
          ...viaDetails,
        },
        at: now,
      });
      return;
    }
    if (stage + 1 < flow.approval.stages.length) {
      await transitionRequest(tx, request, {
        to: 'pending_approval',
        actorRef: me,
        action: 'approve-stage',
        details: { stage, ...(reason ? { reason } : {}), ...viaDetails },
        patch: { currentStage: stage + 1, stageStartedAt: now },
        at: now,
      });
      return;
    }
    await approve(
      ctx,
      tx,
      request,
      { actorRef: me, action: 'approve', reason, details: viaDetails },
      now,
    );
  });
  await ctx.workAvailable();
  return ctx.reread(caller, id, before);
}
