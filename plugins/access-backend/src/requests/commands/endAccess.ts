import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AccessRequest } from '@jit-access/plugin-access-common';
import { RequestRecord } from '../../database/requests/requestRows';
import { Transaction } from '../../database/requests/RequestStore';
import { transitionRequest } from '../../database/requests/transitions';
import { GrantStore } from '../../database/grants/GrantStore';
import { settleRequest } from '../../engine/settleRequest';
import { Before } from '../announcements';
import { Caller } from '../caller';
import { RequestContext } from '../context';

/** The requester withdraws a request that has not started. */
export async function cancel(
  ctx: RequestContext,
  caller: Caller,
  id: string,
  reason: string | undefined,
): Promise<AccessRequest> {
  const now = ctx.now();
  let before: Before | undefined;
  await ctx.store.transaction(async tx => {
    const request = await ctx.store.getForUpdate(tx, id);
    if (!request || !(await ctx.reader.mayRead(caller, request, tx))) {
      throw new NotFoundError(`No request ${id}`);
    }
    before = { status: request.status, stage: request.currentStage };
    if (request.requesterRef !== caller.userEntityRef) {
      throw new NotAllowedError('Only the requester can cancel a request');
    }
    if (
      request.status !== 'pending_approval' &&
      request.status !== 'scheduled'
    ) {
      throw new ConflictError(
        `Cannot cancel a request that is ${request.status}`,
      );
    }
    await transitionRequest(tx, request, {
      to: 'cancelled',
      actorRef: caller.userEntityRef,
      action: 'cancel',
      reason: reason?.trim() || 'Cancelled by the requester',
      at: now,
    });
    await ctx.store.cancelGrants(tx, id);
  });
  return ctx.reread(caller, id, before);
}

/**
 * Ends access before its time: the requester (of a delegated request too), the grantee, or an
 * admin. Access being granted or active is queued for revocation; a scheduled start is called off.
 */
export async function revoke(
  ctx: RequestContext,
  caller: Caller,
  id: string,
  reason: string | undefined,
): Promise<AccessRequest> {
  const now = ctx.now();
  const me = caller.userEntityRef;
  const { store } = ctx;
  let before: Before | undefined;
  await store.transaction(async tx => {
    const request = await store.getForUpdate(tx, id);
    if (!request || !(await ctx.reader.mayRead(caller, request, tx))) {
      throw new NotFoundError(`No request ${id}`);
    }
    before = { status: request.status, stage: request.currentStage };
    if (
      !caller.isAdmin &&
      request.requesterRef !== me &&
      request.granteeRef !== me
    ) {
      throw new NotAllowedError(
        'Only the requester, the grantee or an admin can revoke access',
      );
    }
    const why = reason?.trim() || `Revoked by ${me}`;
    if (!['scheduled', 'active', 'granting'].includes(request.status)) {
      throw new ConflictError(
        `Cannot revoke a request that is ${request.status}`,
      );
    }
    await endAccess(ctx, tx, request, me, why, now);
    // Extensions of this access end with it: approved ones are revoked, pending ones called off.
    for (const extensionId of await store.openExtensionIds(tx, id)) {
      const extension = await store.getForUpdate(tx, extensionId);
      if (extension?.status === 'pending_approval') {
        await transitionRequest(tx, extension, {
          to: 'cancelled',
          actorRef: me,
          action: 'cancel',
          reason: `The access it extends was revoked: ${why}`,
          at: now,
        });
        await store.cancelGrants(tx, extension.id);
      } else if (extension) {
        await endAccess(ctx, tx, extension, me, why, now);
      }
    }
  });
  await ctx.workAvailable();
  return ctx.reread(caller, id, before);
}

/** Ends a scheduled, granting or active request's access, in the caller's transaction. */
async function endAccess(
  ctx: RequestContext,
  tx: Transaction,
  request: RequestRecord,
  actorRef: string,
  reason: string,
  now: Date,
) {
  if (request.status === 'scheduled') {
    await transitionRequest(tx, request, {
      to: 'revoked',
      actorRef,
      action: 'revoke',
      reason,
      at: now,
    });
    await ctx.store.cancelGrants(tx, request.id);
    return;
  }
  await transitionRequest(tx, request, {
    to: 'revoking',
    actorRef,
    action: 'revoke',
    reason,
    at: now,
  });
  await new GrantStore(tx).beginRevocation(tx, request.id, 'revoked', now);
  // Nothing granted yet: the request is revoked at once.
  await settleRequest(tx, request.id, now);
}
