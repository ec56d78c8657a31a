import { RequestRecord } from '../../database/requests/requestRows';
import { Transaction } from '../../database/requests/RequestStore';
import { transitionRequest } from '../../database/requests/transitions';
import { RequestContext } from '../context';
import { approvedTiming } from '../rules/approvalTiming';

/**
 * The last approval: the grant work is recorded with the status (the provisioning engine picks
 * it up), due at the requested start.
 */
export async function approve(
  ctx: RequestContext,
  tx: Transaction,
  request: RequestRecord,
  by: {
    actorRef: string;
    action: string;
    reason?: string;
    /** Recorded with the event, e.g. where the decision was made. */
    details?: Record<string, unknown>;
  },
  now: Date,
): Promise<void> {
  const timing = approvedTiming(request, now);
  await transitionRequest(tx, request, {
    to: timing.scheduled ? 'scheduled' : 'granting',
    actorRef: by.actorRef,
    action: by.action,
    details: { ...(by.reason ? { reason: by.reason } : {}), ...by.details },
    patch: { endsAt: timing.endsAt },
    at: now,
  });
  await ctx.store.queueGrants(tx, request.id, {
    nextAttemptAt: timing.dueAt,
    expiresAt: timing.endsAt,
  });
}
