import { SYSTEM_ACTOR } from '../../database/audit';
import { transitionRequest } from '../../database/requests/transitions';
import { Before } from '../announcements';
import { RequestContext } from '../context';

/**
 * Fails pending requests whose flow's pending timeout has passed ("approval timed out") and
 * tells the requester. Returns how many it failed; run by a scheduler task.
 */
export async function failOverdue(
  ctx: RequestContext,
  limit: number,
): Promise<number> {
  const now = ctx.now();
  const { store } = ctx;
  let failed = 0;
  for (const id of await store.overdueIds(now, limit)) {
    let before: Before | undefined;
    await store.transaction(async tx => {
      const request = await store.getForUpdate(tx, id);
      const deadline = request?.pendingDeadline;
      if (
        !request ||
        request.status !== 'pending_approval' ||
        !deadline ||
        deadline > now
      ) {
        return; // decided or changed meanwhile
      }
      before = { status: request.status, stage: request.currentStage };
      await transitionRequest(tx, request, {
        to: 'failed',
        actorRef: SYSTEM_ACTOR,
        action: 'timeout',
        reason: 'approval timed out',
        at: now,
      });
      await store.cancelGrants(tx, id);
    });
    if (before) {
      failed += 1;
      await ctx.announcer.announce(await ctx.reader.byId(id), before);
    }
  }
  return failed;
}
