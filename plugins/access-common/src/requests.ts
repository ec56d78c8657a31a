import { ReasonRule, AccessItem } from './domain';
import type { RequestChannel } from './agents';
import { RequestStatus } from './status';

/** The provisioning state of one (resource, permission) of a request. */
export type GrantState =
  | 'pending'
  | 'queued'
  | 'granting'
  | 'active'
  | 'revoking'
  | 'revoked'
  | 'expired'
  | 'failed'
  | 'cancelled';

export interface AccessRequestItem extends AccessItem {
  /** Id of the grant: the provisioning of this item. */
  id: string;
  status: GrantState;
  lastError?: string;
  grantedAt?: string;
  /** When the access ends (moves with extensions). */
  expiresAt?: string;
  revokedAt?: string;
  /** Credentials were issued and can be shown once to the grantee. */
  credentialsReady?: boolean;
  /** The credentials were shown; a new look needs a reset. */
  credentialsShown?: boolean;
  /** An open fulfilment task that people must complete for this item. */
  fulfilmentTaskId?: string;
}

/** How far a request may still be extended under its flow. */
export interface AccessExtensionState {
  used: number;
  max: number;
  requiresApproval: boolean;
  /** ISO-8601 durations the flow offers, good choices for an extension. */
  durations: string[];
}

/** Someone who may decide a stage, and why they were chosen. */
export interface AccessRequestApprover {
  stage: number;
  entityRef: string;
  why: string;
}

export interface AccessRequestApproval {
  stage: number;
  approverRef: string;
  decision: 'approve' | 'reject';
  reason?: string;
  decidedAt: string;
  /** Set when the decision was made in chat: `slack` or `teams` (else the portal or the API). */
  channel?: AccessChatChannelName;
  /** The chat user who decided (Slack user id, Teams AAD object id), beside `approverRef`. */
  chatUserId?: string;
}

/** The chat systems approvers decide in. */
export type AccessChatChannelName = 'slack' | 'teams';

/** A chat message the backend sends or updates, as admins see it (`GET /admin/chat/deliveries`). */
export interface AccessChatDelivery {
  id: string;
  channel: AccessChatChannelName;
  /** `approval`: ask an approver; `approval-update`: rewrite it after a change; `requester-update`. */
  kind: 'approval' | 'approval-update' | 'requester-update';
  requestId: string;
  recipientRef?: string;
  /** `pending` (waiting or retrying), `sent`, `skipped` (no chat identity) or `failed`. */
  state: 'pending' | 'sent' | 'skipped' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * `GET /admin/chat/deliveries`: one page of deliveries, and the chat channels installed now (none:
 * chat is off; deliveries queued before may remain).
 */
export interface AccessChatDeliveryPage {
  items: AccessChatDelivery[];
  /** Present when there are more. */
  nextCursor?: string;
  channels: AccessChatChannelName[];
}

/** Query of `GET /admin/chat/deliveries`. */
export interface AccessChatDeliveriesQuery {
  state?: AccessChatDelivery['state'];
  /** 1..100, default 50. */
  limit?: number;
  cursor?: string;
}

export interface AccessTicket {
  type?: string;
  id: string;
}

/** The grantee's past with one item of a request: what an approver weighs before deciding. */
export interface AccessItemHistory {
  resourceRef: string;
  permission: string;
  /** Other requests (extensions aside) whose access to it was granted within the window. */
  grantedInWindow: number;
  /** The newest decision on another request for it. */
  lastDecision?: {
    decision: 'approve' | 'reject';
    approverRef: string;
    decidedAt: string;
  };
  /** Other requests for it waiting for approval. */
  pendingRequests: number;
  /** Access to it the grantee holds now through another request, and until when. */
  active?: { expiresAt?: string };
}

/** The grantee's history with the items of a request (the requester's, unless asked for someone else). */
export interface GranteeHistory {
  /** How many days back `grantedInWindow` counts. */
  windowDays: number;
  /** One per item of the request, in the request's order. */
  items: AccessItemHistory[];
}

export interface AccessRequest {
  id: string;
  /** Requests split from the same submission share it. */
  submissionId: string;
  flowId: string;
  /** The flow's title as configured now; its id when the flow is no longer configured. */
  flowTitle: string;
  /** Where the request was made. */
  channel: RequestChannel;
  status: RequestStatus;
  statusReason?: string;
  requesterRef: string;
  granteeRef: string;
  items: AccessRequestItem[];
  bundleId?: string;
  justification?: string;
  ticket?: AccessTicket;
  answers: Record<string, string>;
  /** ISO-8601 duration chosen from the flow; counted from the grant. */
  duration?: string;
  startAt?: string;
  endAt?: string;
  createdAt: string;
  updatedAt: string;
  /** The stage waiting for decisions, while pending. */
  currentStage: number;
  stageCount: number;
  approvals: AccessRequestApproval[];
  approvers: AccessRequestApprover[];
  extension: AccessExtensionState;
  /** When the flow requires approvers to give a reason. */
  requireReason: ReasonRule;
  /** Set on a request that asks to extend another (active) one. */
  extendsRequestId?: string;
  /** Some items were granted and others failed (Entra's "partially fulfilled"). */
  partiallyFulfilled?: boolean;
  /**
   * The grantee's history with the same resources and permissions, for the people who decide:
   * on `GET /requests/:id` and on the approver's pending inbox.
   */
  granteeHistory?: GranteeHistory;
}

export interface AccessAuditEntry {
  seq: number;
  actorRef: string;
  action: string;
  fromStatus?: string;
  toStatus?: string;
  details?: Record<string, unknown>;
  at: string;
}

export interface AccessRequestDetails extends AccessRequest {
  audit: AccessAuditEntry[];
}

/** Answer of `POST /requests`. */
export interface SubmissionResult {
  submissionId: string;
  requests: AccessRequest[];
}

/** A saved request template of a user. */
export interface AccessFavorite {
  id: string;
  name: string;
  /** The submission it makes, less the justification (asked each time). */
  template: {
    items?: AccessItem[];
    granteeRef?: string;
    flowId?: string;
    duration?: string;
    ticket?: AccessTicket;
    answers?: Record<string, string>;
  };
  createdAt: string;
}

/** Answer of `POST /grants/:id/credentials/reveal` and `.../reset`. */
export interface AccessCredentialsReveal {
  grantId: string;
  resourceRef: string;
  permission: string;
  credentials: Record<string, string>;
}

/** Work a provisioner handed to people (the manual provisioner), completed from the portal. */
export interface FulfilmentTask {
  id: string;
  grantId: string;
  requestId: string;
  action: 'grant' | 'revoke';
  provisionerId: string;
  resourceRef: string;
  permission: string;
  granteeRef: string;
  instructions: string;
  state: 'open' | 'done' | 'cancelled';
  createdAt: string;
  completedAt?: string;
  completedBy?: string;
  note?: string;
}

/** What reconciliation found when it compared a provisioner's view with the database. */
export interface ReconciliationFinding {
  id: string;
  provisionerId: string;
  /**
   * `still-present`: access whose grant ended is still there (re-revoked); `untracked`: access
   * with no grant behind it; `missing`: a live grant whose access disappeared.
   */
  kind: 'still-present' | 'untracked' | 'missing';
  resourceRef: string;
  permission: string;
  granteeRef: string;
  grantId?: string;
  detail: string;
  createdAt: string;
}
