import { ConflictError, InputError } from '@backstage/errors';
import {
  AccessFlow,
  AccessRequest,
  RequestChannel,
} from '@jit-access/plugin-access-common';
import { randomUUID } from 'node:crypto';
import { Duration } from 'luxon';
import { appendAuditEvent } from '../../database/audit';
import { ChainLink, RequestRecord } from '../../database/requests/requestRows';
import { transitionRequest } from '../../database/requests/transitions';
import { resolveApprovers } from '../approvers';
import { Caller } from '../caller';
import { RequestContext } from '../context';
import { resolveItems, uniqueResources } from '../items';
import { assertApprovable } from '../rules/approvability';
import { chainPeople } from '../rules/extensionRules';

/** An extension that needs approval: a new request for the same access, up to the new end. */
export async function askForExtension(
  ctx: RequestContext,
  caller: Caller,
  of: { parent: RequestRecord; chain: ChainLink[]; flow: AccessFlow },
  ask: { newEnd: Date; justification?: string; channel: RequestChannel },
): Promise<AccessRequest> {
  const { parent, chain, flow } = of;
  const { newEnd } = ask;
  const now = ctx.now();
  const pending = await ctx.store.pendingExtensionId(parent.id);
  if (pending) {
    throw new ConflictError(
      `An extension of this request is waiting for approval already: ${pending}`,
    );
  }
  const justification = ask.justification?.trim();
  const minLength = Math.max(1, flow.justification.minLength);
  if (flow.justification.required && (justification?.length ?? 0) < minLength) {
    throw new InputError(
      `justification: flow '${flow.id}' requires a justification of at least ${minLength} characters`,
    );
  }
  const [request] = await ctx.reader.hydrate([parent]);
  const resolved = await resolveItems(
    ctx.options.resources,
    request.items.map(({ resourceRef, permission }) => ({
      resourceRef,
      permission,
    })),
  );
  const approvers = await resolveApprovers({
    flow,
    resources: uniqueResources(resolved),
    catalog: ctx.options.catalog,
    auth: ctx.options.auth,
  });
  assertApprovable(
    flow,
    approvers,
    chainPeople([
      ...chain,
      {
        id: 'asked',
        requesterRef: caller.userEntityRef,
        granteeRef: parent.granteeRef,
      },
    ]),
  );
  const childId = randomUUID();
  await ctx.store.transaction(async tx => {
    const locked = await ctx.store.getForUpdate(tx, parent.id);
    if (!locked || locked.version !== parent.version) {
      throw new ConflictError(
        `The request changed meanwhile; it is now ${locked?.status ?? 'gone'}`,
      );
    }
    await ctx.store.insert(tx, {
      id: childId,
      submissionId: randomUUID(),
      requesterRef: caller.userEntityRef,
      granteeRef: parent.granteeRef,
      flowId: flow.id,
      channel: ask.channel,
      justification: justification || parent.justification,
      ...(parent.ticketId
        ? {
            ticket: {
              id: parent.ticketId,
              ...(parent.ticketType ? { type: parent.ticketType } : {}),
            },
          }
        : {}),
      answers: parent.answers,
      endsAt: newEnd,
      pendingDeadline: new Date(
        now.getTime() + Duration.fromISO(flow.pendingTimeout).toMillis(),
      ),
      bundleId: parent.bundleId,
      extendsRequestId: parent.id,
      extensionsUsed: parent.extensionsUsed + 1,
      createdAt: now,
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
      details: {
        extends: parent.id,
        to: newEnd.toISOString(),
        channel: ask.channel,
      },
      at: now,
    });
    await transitionRequest(tx, locked, {
      to: 'active',
      actorRef: caller.userEntityRef,
      action: 'ask-extension',
      details: { extensionRequestId: childId, to: newEnd.toISOString() },
      patch: { extensionsUsed: locked.extensionsUsed + 1 },
      at: now,
    });
  });
  const child = await ctx.reader.byId(childId);
  await ctx.announcer.announce(child);
  return child;
}
