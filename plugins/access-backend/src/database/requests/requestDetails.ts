import {
  AccessRequest,
  AccessRequestApproval,
  AccessRequestApprover,
  AccessRequestItem,
  GrantState,
  ReasonRule,
} from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { readDate, readOptionalDate } from '../../lib/dates';
import { ShownRequest } from './requestRows';

/** What a request shows of its flow: how many stages, how far it may be extended. */
export interface FlowFacts {
  stageCount: number;
  maxExtensions: number;
  extensionRequiresApproval: boolean;
  durations: string[];
  requireReason: ReasonRule;
}

/** The facts of the flow a request is under (which may depend on where it was made). */
export type FlowFactsOf = (
  request: Pick<ShownRequest, 'flowId' | 'channel'>,
) => FlowFacts;

/** The full requests (items, decisions, approvers), in the order of the given ones. */
export async function loadDetails(
  db: Knex,
  requests: ShownRequest[],
  flowFacts: FlowFactsOf,
): Promise<AccessRequest[]> {
  if (requests.length === 0) {
    return [];
  }
  const ids = requests.map(r => r.id);
  const [grants, approvals, approvers] = await Promise.all([
    db('access_grants')
      .whereIn('request_id', ids)
      .orderBy(['resource_ref', 'permission'])
      .select(
        'id',
        'request_id',
        'resource_ref',
        'permission',
        'state',
        'last_error',
        'granted_at',
        'expires_at',
        'revoked_at',
        'end_reason',
        'credentials_state',
        // The open fulfilment task of a grant, if people are working on it by hand.
        db('access_fulfilment_tasks')
          .min('access_fulfilment_tasks.id')
          .whereRaw('access_fulfilment_tasks.grant_id = access_grants.id')
          .where('access_fulfilment_tasks.state', 'open')
          .as('open_task_id'),
      ),
    db('access_approvals')
      .whereIn('request_id', ids)
      .orderBy('decided_at')
      .select(
        'request_id',
        'stage',
        'approver_ref',
        'decision',
        'reason',
        'decided_at',
        'channel',
        'chat_user_id',
      ),
    db('access_request_approvers')
      .whereIn('request_id', ids)
      .orderBy(['stage', 'approver_ref']),
  ]);
  const grantsBy = byRequest(grants);
  const approvalsBy = byRequest(approvals);
  const approversBy = byRequest(approvers);

  return requests.map(request => {
    const items: AccessRequestItem[] = (grantsBy.get(request.id) ?? []).map(
      toItem,
    );
    const decisions: AccessRequestApproval[] = (
      approvalsBy.get(request.id) ?? []
    ).map(a => ({
      stage: Number(a.stage),
      approverRef: a.approver_ref,
      decision: a.decision,
      ...(a.reason ? { reason: a.reason } : {}),
      decidedAt: readDate(a.decided_at).toISOString(),
      ...(a.channel ? { channel: a.channel } : {}),
      ...(a.chat_user_id ? { chatUserId: a.chat_user_id } : {}),
    }));
    const eligible: AccessRequestApprover[] = (
      approversBy.get(request.id) ?? []
    ).map(a => ({
      stage: Number(a.stage),
      entityRef: a.approver_ref,
      why: a.why,
    }));
    return toRequest(request, items, decisions, eligible, flowFacts(request), {
      partiallyFulfilled: isPartiallyFulfilled(grantsBy.get(request.id) ?? []),
    });
  });
}

function byRequest<T extends { request_id: string }>(list: T[]) {
  const map = new Map<string, T[]>();
  for (const row of list) {
    const group = map.get(row.request_id);
    if (group) {
      group.push(row);
    } else {
      map.set(row.request_id, [row]);
    }
  }
  return map;
}

const iso = (value: Date | number | string | null | undefined) =>
  readOptionalDate(value)?.toISOString();

function toItem(grant: any): AccessRequestItem {
  return {
    id: grant.id,
    resourceRef: grant.resource_ref,
    permission: grant.permission,
    status: grant.state,
    ...(grant.last_error ? { lastError: grant.last_error } : {}),
    ...(grant.granted_at ? { grantedAt: iso(grant.granted_at) } : {}),
    ...(grant.expires_at ? { expiresAt: iso(grant.expires_at) } : {}),
    ...(grant.revoked_at ? { revokedAt: iso(grant.revoked_at) } : {}),
    ...(grant.credentials_state === 'ready' ? { credentialsReady: true } : {}),
    ...(grant.credentials_state === 'shown' ? { credentialsShown: true } : {}),
    ...(grant.open_task_id ? { fulfilmentTaskId: grant.open_task_id } : {}),
  };
}

/** Some items failed while others were granted (Entra's "partially fulfilled"). */
function isPartiallyFulfilled(
  grants: Array<{ state: GrantState; end_reason: string | null }>,
): boolean {
  const granted: GrantState[] = ['active', 'revoking', 'expired', 'revoked'];
  // A grant that failed while being revoked (end_reason set) was granted before.
  return (
    grants.some(g => g.state === 'failed' && !g.end_reason) &&
    grants.some(g => granted.includes(g.state) || g.end_reason)
  );
}

function toRequest(
  request: ShownRequest,
  items: AccessRequestItem[],
  approvals: AccessRequestApproval[],
  approvers: AccessRequestApprover[],
  flow: FlowFacts,
  derived: { partiallyFulfilled: boolean },
): AccessRequest {
  return {
    id: request.id,
    submissionId: request.submissionId,
    flowId: request.flowId,
    channel: request.channel,
    status: request.status,
    ...(request.statusReason ? { statusReason: request.statusReason } : {}),
    requesterRef: request.requesterRef,
    granteeRef: request.granteeRef,
    items,
    ...(request.bundleId ? { bundleId: request.bundleId } : {}),
    ...(request.justification ? { justification: request.justification } : {}),
    ...(request.ticketId
      ? {
          ticket: {
            id: request.ticketId,
            ...(request.ticketType ? { type: request.ticketType } : {}),
          },
        }
      : {}),
    answers: request.answers,
    ...(request.duration ? { duration: request.duration } : {}),
    ...(request.startsAt ? { startAt: request.startsAt.toISOString() } : {}),
    ...(request.endsAt ? { endAt: request.endsAt.toISOString() } : {}),
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    currentStage: request.currentStage,
    stageCount: flow.stageCount,
    approvals,
    approvers,
    extension: {
      used: request.extensionsUsed,
      max: flow.maxExtensions,
      requiresApproval: flow.extensionRequiresApproval,
      durations: flow.durations,
    },
    requireReason: flow.requireReason,
    ...(request.extendsRequestId
      ? { extendsRequestId: request.extendsRequestId }
      : {}),
    ...(derived.partiallyFulfilled ? { partiallyFulfilled: true } : {}),
  };
}
