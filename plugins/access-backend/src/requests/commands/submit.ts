import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  isTerminalStatus,
  RequestChannel,
  Submission,
  SubmissionResult,
} from '@jit-access/plugin-access-common';
import { randomUUID } from 'node:crypto';
import { Duration } from 'luxon';
import { appendAuditEvent } from '../../database/audit';
import { NewRequest } from '../../database/requests/requestRows';
import { assignFlows, matchFlows } from '../../flows/matchFlows';
import { resolveApprovers } from '../approvers';
import { RequestingCaller } from '../caller';
import { RequestContext } from '../context';
import { checkRequirements, checkTiming } from '../flowRules';
import { resolveGrantee } from '../grantee';
import { resolveItems, submittedItems, uniqueResources } from '../items';
import { assertChannelAccepted, flowForChannel } from '../rules/agentPolicy';
import { assertApprovable } from '../rules/approvability';
import { submissionOf, withChanges } from '../rules/resubmission';
import { approve } from './approve';

/**
 * Asks for access: the items are split by the flows that cover them, one request per flow, each
 * checked against its flow's rules. A flow without approval stages approves at once, unless an
 * AI assistant asks (channel `action`): then the flow's agents policy decides (rules/agentPolicy).
 */
export async function submit(
  ctx: RequestContext,
  caller: RequestingCaller,
  submission: Submission,
  channel: RequestChannel = 'api',
): Promise<SubmissionResult> {
  const now = ctx.now();
  const granteeRef = await resolveGrantee(
    ctx.options,
    caller,
    submission.granteeRef,
  );
  const onBehalf = granteeRef !== caller.userEntityRef;
  const resolved = await resolveItems(
    ctx.options.resources,
    submittedItems(ctx.options.bundles, submission),
  );

  const { matches, uncovered } = matchFlows(
    ctx.flows.all,
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
  const asked = new Set(assigned.flatMap(m => m.flow.questions.map(q => q.id)));
  for (const key of Object.keys(submission.answers ?? {})) {
    if (!asked.has(key)) {
      throw new InputError(
        `answers.${key}: no flow of this request asks that question`,
      );
    }
  }

  const submissionId = randomUUID();
  const planned: NewRequest[] = [];
  for (const { flow: configured, items } of assigned) {
    assertChannelAccepted(configured, channel);
    const flow = flowForChannel(configured, channel);
    const timing = checkTiming(flow, submission, now);
    const answers = checkRequirements(flow, submission);
    const approvers = await resolveApprovers({
      flow,
      resources: uniqueResources(items),
      catalog: ctx.options.catalog,
      auth: ctx.options.auth,
    });
    assertApprovable(flow, approvers, [caller.userEntityRef, granteeRef]);
    planned.push({
      id: randomUUID(),
      submissionId,
      requesterRef: caller.userEntityRef,
      granteeRef,
      flowId: flow.id,
      channel,
      justification: submission.justification?.trim() || undefined,
      ticket: submission.ticket,
      answers,
      duration: timing.duration,
      startsAt: timing.startsAt,
      endsAt: timing.endsAt,
      pendingDeadline: new Date(
        now.getTime() + Duration.fromISO(flow.pendingTimeout).toMillis(),
      ),
      bundleId: submission.bundle?.id,
      createdAt: now,
      items: items.map(item => ({
        id: randomUUID(),
        resourceRef: item.resourceRef,
        permission: item.permission,
        provisionerId: item.resource.integration,
      })),
      approvers,
    });
  }

  await ctx.store.transaction(async tx => {
    for (const request of planned) {
      const stored = await ctx.store.insert(tx, request);
      await appendAuditEvent(tx, {
        requestId: request.id,
        actorRef: caller.userEntityRef,
        action: 'submit',
        toStatus: 'pending_approval',
        details: onBehalf ? { channel, onBehalfOf: granteeRef } : { channel },
        at: now,
      });
      const flow = ctx.flows.forRequest(request);
      if (flow.approval.stages.length === 0) {
        await approve(
          ctx,
          tx,
          stored,
          { actorRef: caller.userEntityRef, action: 'auto-approve' },
          now,
        );
      }
    }
  });

  const created = await ctx.reader.getMany(
    planned.map(p => p.id),
    'flow_id',
  );
  for (const request of created) {
    await ctx.announcer.announce(request);
  }
  await ctx.workAvailable();
  return { submissionId, requests: created };
}

/**
 * Asks again for what a closed request asked for: a new submission with a new justification,
 * under today's flows and rules.
 */
export async function requestAgain(
  ctx: RequestContext,
  caller: RequestingCaller,
  id: string,
  changes: Partial<Submission>,
  channel: RequestChannel = 'api',
): Promise<SubmissionResult> {
  const record = await ctx.store.get(id);
  if (!record || !(await ctx.reader.mayRead(caller, record))) {
    throw new NotFoundError(`No request ${id}`);
  }
  if (record.requesterRef !== caller.userEntityRef) {
    throw new NotAllowedError('Only the requester can request this again');
  }
  if (!isTerminalStatus(record.status)) {
    throw new ConflictError(
      `Only a closed request can be requested again; this one is ${record.status}`,
    );
  }
  const [request] = await ctx.reader.hydrate([record]);
  return submit(
    ctx,
    caller,
    withChanges(submissionOf(request), changes),
    channel,
  );
}
