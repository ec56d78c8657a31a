/**
 * What the actions tell of a request: enough for an assistant to say where it stands and where
 * to look (the page in the portal), without the whole record.
 */
import {
  AccessRequest,
  AccessRequestDetails,
} from '@jit-access/plugin-access-common';
import { requestLink, Zod } from './actionContext';

export const requestSummarySchema = (z: Zod) =>
  z.object({
    id: z.string(),
    status: z.string(),
    statusReason: z.string().optional(),
    flowId: z.string(),
    channel: z.string(),
    requesterRef: z.string(),
    granteeRef: z.string(),
    items: z.array(
      z.object({
        resourceRef: z.string(),
        permission: z.string(),
        status: z.string(),
        expiresAt: z.string().optional(),
      }),
    ),
    duration: z.string().optional(),
    endAt: z.string().optional(),
    createdAt: z.string(),
    /** Who may decide the stage waiting for a decision (pending requests only). */
    waitingFor: z.array(z.string()).optional(),
    link: z.string().describe('The request’s page in the portal'),
  });

export const requestDetailsSchema = (z: Zod) =>
  requestSummarySchema(z).extend({
    justification: z.string().optional(),
    approvals: z.array(
      z.object({
        stage: z.number(),
        approverRef: z.string(),
        decision: z.string(),
        reason: z.string().optional(),
        decidedAt: z.string(),
      }),
    ),
    audit: z.array(
      z.object({
        actorRef: z.string(),
        action: z.string(),
        toStatus: z.string().optional(),
        channel: z.string().optional(),
        at: z.string(),
      }),
    ),
  });

export function summarise(request: AccessRequest) {
  return {
    id: request.id,
    status: request.status,
    ...(request.statusReason ? { statusReason: request.statusReason } : {}),
    flowId: request.flowId,
    channel: request.channel,
    requesterRef: request.requesterRef,
    granteeRef: request.granteeRef,
    items: request.items.map(item => ({
      resourceRef: item.resourceRef,
      permission: item.permission,
      status: item.status,
      ...(item.expiresAt ? { expiresAt: item.expiresAt } : {}),
    })),
    ...(request.duration ? { duration: request.duration } : {}),
    ...(request.endAt ? { endAt: request.endAt } : {}),
    createdAt: request.createdAt,
    ...(request.status === 'pending_approval'
      ? {
          waitingFor: request.approvers
            .filter(a => a.stage === request.currentStage)
            .map(a => a.entityRef),
        }
      : {}),
    link: requestLink(request.id),
  };
}

export function describeRequest(request: AccessRequestDetails) {
  return {
    ...summarise(request),
    ...(request.justification ? { justification: request.justification } : {}),
    approvals: request.approvals.map(a => ({
      stage: a.stage,
      approverRef: a.approverRef,
      decision: a.decision,
      ...(a.reason ? { reason: a.reason } : {}),
      decidedAt: a.decidedAt,
    })),
    audit: request.audit.map(entry => ({
      actorRef: entry.actorRef,
      action: entry.action,
      ...(entry.toStatus ? { toStatus: entry.toStatus } : {}),
      ...(typeof entry.details?.channel === 'string'
        ? { channel: entry.details.channel }
        : {}),
      at: entry.at,
    })),
  };
}
