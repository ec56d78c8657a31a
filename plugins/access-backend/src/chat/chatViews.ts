/**
 * The content of chat messages as plain data (the view models of `@jit-access/plugin-access-node`):
 * built here from a request, so that every channel says the same and only renders it.
 */
import { AccessFlow, AccessRequest } from '@jit-access/plugin-access-common';
import {
  AccessChatApprovalView,
  AccessChatItem,
  AccessChatOutcome,
  AccessChatPerson,
  AccessChatRequesterUpdate,
  AccessChatRequesterUpdateKind,
  AccessDecisionChannel,
} from '@jit-access/plugin-access-node';
import { Duration } from 'luxon';

/** What a view needs besides the request: names, titles, the flow, the portal. */
export interface ViewFacts {
  /** Display names by entity ref (a ref without one shows as itself). */
  names: Map<string, string>;
  /** Resource titles by ref. */
  titles: Map<string, string>;
  flow?: AccessFlow;
  portalBaseUrl: string;
}

const person = (ref: string, facts: ViewFacts): AccessChatPerson => ({
  entityRef: ref,
  displayName: facts.names.get(ref) ?? ref,
});

function items(request: AccessRequest, facts: ViewFacts): AccessChatItem[] {
  return request.items.map(item => ({
    resourceRef: item.resourceRef,
    resourceTitle:
      facts.titles.get(item.resourceRef) ??
      item.resourceRef.split('/').pop() ??
      item.resourceRef,
    permission: item.permission,
  }));
}

/** The request's page in the portal. */
export function requestLink(baseUrl: string, requestId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/access/requests/${encodeURIComponent(
    requestId,
  )}`;
}

/** "8 hours", "1 day, 12 hours": an ISO-8601 duration in words. */
export function durationInWords(iso: string): string {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) {
    return iso;
  }
  return duration
    .shiftTo('days', 'hours', 'minutes')
    .normalize()
    .toHuman({ listStyle: 'narrow', unitDisplay: 'long' })
    .split(', ')
    .filter(part => !part.startsWith('0 '))
    .join(', ');
}

const CHANNEL_WORDS: Record<AccessDecisionChannel, string> = {
  portal: 'in the portal',
  api: 'through the API',
  slack: 'in Slack',
  teams: 'in Microsoft Teams',
};

/**
 * How the wait ended for a message of `stage` sent to `recipientRef`, or undefined while the
 * request still waits for them.
 */
export function outcomeFor(
  request: AccessRequest,
  stage: number,
  recipientRef: string,
  facts: ViewFacts,
): AccessChatOutcome | undefined {
  const mine = request.approvals.find(
    a => a.stage === stage && a.approverRef === recipientRef,
  );
  const waiting =
    request.status === 'pending_approval' && request.currentStage === stage;
  if (waiting && !mine) {
    return undefined;
  }
  const decisive =
    request.approvals.find(a => a.decision === 'reject') ??
    (waiting ? mine : undefined) ??
    [...request.approvals].reverse().find(a => a.stage === stage) ??
    request.approvals.at(-1);
  const by = decisive ? person(decisive.approverRef, facts) : undefined;
  const via: AccessDecisionChannel | undefined = decisive
    ? decisive.channel ?? 'portal'
    : undefined;
  let kind: AccessChatOutcome['kind'];
  if (request.status === 'rejected') {
    kind = 'rejected';
  } else if (request.status === 'pending_approval') {
    kind = 'stage-approved';
  } else if (
    request.status === 'failed' &&
    /timed? ?out|no decision/i.test(request.statusReason ?? '')
  ) {
    kind = 'timed-out';
  } else if (
    ['scheduled', 'granting', 'active', 'expired'].includes(request.status) ||
    (request.status === 'revoked' && request.approvals.length > 0)
  ) {
    kind = 'approved';
  } else {
    kind = 'closed';
  }
  const words: Record<AccessChatOutcome['kind'], string> = {
    approved: 'Approved',
    'stage-approved':
      waiting && mine
        ? 'You approved; waiting for more approvals'
        : 'Stage approved',
    rejected: 'Rejected',
    'timed-out': 'Timed out without a decision',
    closed: `Closed (${request.status.replace('_', ' ')})`,
  };
  const who =
    by &&
    (kind === 'approved' || kind === 'rejected' || kind === 'stage-approved')
      ? ` by ${by.displayName}${via ? ` ${CHANNEL_WORDS[via]}` : ''}`
      : '';
  const reason =
    kind === 'rejected' || kind === 'approved' || kind === 'stage-approved'
      ? decisive?.reason
      : request.statusReason;
  return {
    kind,
    status: request.status,
    ...(by && who ? { decidedBy: by, decidedVia: via } : {}),
    ...(decisive && who ? { decidedAt: decisive.decidedAt } : {}),
    ...(reason ? { reason } : {}),
    summary: `${words[kind]}${who}${reason ? `: ${reason}` : ''}`,
  };
}

/** An approval message for `recipientRef`, asked to decide `stage`. */
export function approvalView(
  request: AccessRequest,
  stage: number,
  recipientRef: string,
  facts: ViewFacts,
): AccessChatApprovalView {
  const { flow } = facts;
  const rule = request.requireReason;
  const timesOutAt =
    flow && request.status === 'pending_approval'
      ? new Date(
          Date.parse(request.createdAt) +
            Duration.fromISO(flow.pendingTimeout).toMillis(),
        ).toISOString()
      : undefined;
  const outcome = outcomeFor(request, stage, recipientRef, facts);
  return {
    requestId: request.id,
    requester: person(request.requesterRef, facts),
    ...(request.granteeRef !== request.requesterRef
      ? { grantee: person(request.granteeRef, facts) }
      : {}),
    items: items(request, facts),
    ...(request.duration
      ? {
          duration: request.duration,
          durationText: durationInWords(request.duration),
        }
      : {}),
    ...(request.startAt ? { startAt: request.startAt } : {}),
    ...(request.endAt ? { endAt: request.endAt } : {}),
    ...(request.justification ? { justification: request.justification } : {}),
    ...(request.ticket ? { ticket: request.ticket } : {}),
    flow: { id: request.flowId, title: flow?.title ?? request.flowId },
    stage: { number: stage + 1, count: request.stageCount },
    ...(timesOutAt ? { timesOutAt } : {}),
    link: requestLink(facts.portalBaseUrl, request.id),
    reasonRequired: {
      approve: rule === 'approve' || rule === 'both',
      reject: rule === 'reject' || rule === 'both',
    },
    ...(outcome ? { outcome } : {}),
  };
}

const UPDATE_WORDS: Record<AccessChatRequesterUpdateKind, string> = {
  approved: 'was approved and granted',
  rejected: 'was rejected',
  failed: 'failed',
  'expiring-soon': 'ends soon',
  expired: 'has expired',
  revoked: 'was revoked',
};

/** A requester's (or grantee's) update on their request. */
export function requesterUpdateView(
  request: AccessRequest,
  kind: AccessChatRequesterUpdateKind,
  facts: ViewFacts,
): AccessChatRequesterUpdate {
  const shown = items(request, facts);
  const what = shown
    .map(i => `${i.resourceTitle} (${i.permission})`)
    .join(', ');
  const ends = request.items
    .map(i => i.expiresAt)
    .filter((at): at is string => Boolean(at))
    .sort()[0];
  const decided =
    request.approvals.find(a => a.decision === 'reject') ??
    request.approvals.at(-1);
  const base = facts.portalBaseUrl.replace(/\/+$/, '');
  const action = updateAction(kind, request, base);
  const reason =
    kind === 'rejected'
      ? decided?.reason ?? request.statusReason
      : request.statusReason;
  return {
    requestId: request.id,
    kind,
    status: request.status,
    items: shown,
    summary: `Your access request for ${what} ${UPDATE_WORDS[kind]}.`,
    ...(reason ? { reason } : {}),
    ...(kind === 'rejected' && decided
      ? { by: person(decided.approverRef, facts) }
      : {}),
    ...(ends ? { expiresAt: ends } : {}),
    link: requestLink(base, request.id),
    ...(action ? { action } : {}),
  };
}

/** The button a requester update offers: extend before the end, request again after it. */
function updateAction(
  kind: AccessChatRequesterUpdateKind,
  request: AccessRequest,
  base: string,
): AccessChatRequesterUpdate['action'] {
  if (kind === 'expiring-soon') {
    return {
      kind: 'extend',
      label: 'Extend',
      url: requestLink(base, request.id),
    };
  }
  if (kind === 'expired') {
    return {
      kind: 'request-again',
      label: 'Request again',
      url: `${base}/access/new?resource=${encodeURIComponent(
        request.items[0]?.resourceRef ?? '',
      )}`,
    };
  }
  return undefined;
}
