import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AccessRequest,
  RequestChannel,
} from '@jit-access/plugin-access-common';
import { RequestRecord } from '../../database/requests/requestRows';
import { transitionRequest } from '../../database/requests/transitions';
import { GrantRecord } from '../../database/grants/GrantStore';
import { Before } from '../announcements';
import { Caller } from '../caller';
import { RequestContext } from '../context';
import {
  chainStart,
  checkWithinMaxDuration,
  extendedEnd,
} from '../rules/extensionRules';
import {
  assertChannelAccepted,
  extensionNeedsApproval,
  flowForChannel,
} from '../rules/agentPolicy';
import { askForExtension } from './askForExtension';

/** What an extension asks for: a longer duration or a later end, and why. */
export interface ExtensionAsk {
  duration?: string;
  endAt?: string;
  justification?: string;
}

/**
 * Extends active access, within the flow's `maxExtensions` and `maxDuration`. Without approval
 * the end moves at once (in the target system too, where the provisioner keeps an end). With
 * approval, a new request for the same access is made: it goes through the flow's stages and,
 * once approved, is granted at once and runs to the new end; the original ends at its own end
 * and the access stays because the overlapping grant covers it. An extension an assistant asks
 * for (channel `action`) follows the flow's agents policy as a new request would: refused under
 * `deny`, and approved by a person under `approval`.
 */
export async function extend(
  ctx: RequestContext,
  caller: Caller,
  id: string,
  ask: ExtensionAsk,
  channel: RequestChannel = 'api',
): Promise<AccessRequest> {
  const now = ctx.now();
  const me = caller.userEntityRef;
  const { store } = ctx;
  const request = await store.get(id);
  if (!request || !(await ctx.reader.mayRead(caller, request))) {
    throw new NotFoundError(`No request ${id}`);
  }
  if (request.requesterRef !== me && request.granteeRef !== me) {
    throw new NotAllowedError(
      'Only the requester or the grantee can extend access',
    );
  }
  if (request.status !== 'active') {
    throw new ConflictError(
      `Cannot extend a request that is ${request.status}`,
    );
  }
  const configured = ctx.flows.get(request.flowId);
  assertChannelAccepted(configured, channel);
  const flow =
    channel === 'action'
      ? flowForChannel(configured, channel)
      : ctx.flows.forRequest(request);
  const { maxExtensions } = flow.extension;
  const requiresApproval = extensionNeedsApproval(configured, channel);
  if (maxExtensions === 0) {
    throw new ConflictError(`Flow '${flow.id}' does not allow extensions`);
  }
  if (request.extensionsUsed >= maxExtensions) {
    throw new ConflictError(
      `No extensions left: ${request.extensionsUsed} of ${maxExtensions} used`,
    );
  }
  const grants = await ctx.options.stores.grants.forRequest(id);
  const currentEnd = request.endsAt!;
  const newEnd = extendedEnd(currentEnd, ask);
  const chain = await store.chain(id);
  const start = await accessStart(
    ctx,
    chain[0].id === id ? request : undefined,
    chain[0].id,
  );
  checkWithinMaxDuration(flow, start, newEnd, ask.endAt ? 'endAt' : 'duration');
  if (requiresApproval) {
    return askForExtension(
      ctx,
      caller,
      { parent: request, chain, flow },
      {
        newEnd,
        justification: ask.justification,
        channel: channel === 'action' ? channel : request.channel,
      },
    );
  }

  // Move the end in the target systems first: if one refuses, nothing changes here.
  await extendInTargetSystems(ctx, request, {
    grants: grants.filter(g => g.state === 'active'),
    startsAt: request.startsAt ?? start,
    newEnd,
  });
  let before: Before | undefined;
  await store.transaction(async tx => {
    const locked = await store.getForUpdate(tx, id);
    if (!locked || locked.version !== request.version) {
      throw new ConflictError(
        `The request changed meanwhile; it is now ${locked?.status ?? 'gone'}`,
      );
    }
    before = { status: locked.status, stage: locked.currentStage };
    await transitionRequest(tx, locked, {
      to: 'active',
      actorRef: me,
      action: 'extend',
      details: {
        from: currentEnd.toISOString(),
        to: newEnd.toISOString(),
        extension: locked.extensionsUsed + 1,
      },
      patch: { endsAt: newEnd, extensionsUsed: locked.extensionsUsed + 1 },
      at: now,
    });
    await store.moveGrantEnds(tx, id, newEnd);
  });
  await ctx.workAvailable();
  return ctx.reread(caller, id, before);
}

/**
 * Asks the provisioners that keep an end in the target system to move it. A permanent refusal
 * is a conflict (a retry will not change it); a transient one says to try again.
 */
async function extendInTargetSystems(
  ctx: RequestContext,
  request: RequestRecord,
  extension: { grants: GrantRecord[]; startsAt: Date; newEnd: Date },
): Promise<void> {
  for (const grant of extension.grants) {
    await ctx.options.gateway?.extend(
      grant,
      { granteeRef: request.granteeRef, startsAt: request.startsAt },
      {
        accessStart: extension.startsAt,
        endsAt: extension.newEnd,
        extension: request.extensionsUsed + 1,
      },
    );
  }
}

/**
 * When the access of an extension chain began (see `chainStart`): `original` is the chain's
 * original when the caller has it already.
 */
async function accessStart(
  ctx: RequestContext,
  original: RequestRecord | undefined,
  originalId: string,
): Promise<Date> {
  const first = original ?? (await ctx.store.get(originalId))!;
  const grants = await ctx.options.stores.grants.forRequest(first.id);
  const firstGrantedAt = grants
    .map(g => g.grantedAt)
    .filter((d): d is Date => Boolean(d))
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return chainStart({
    ...(first.startsAt ? { startsAt: first.startsAt } : {}),
    ...(firstGrantedAt ? { firstGrantedAt } : {}),
    createdAt: first.createdAt,
  });
}
