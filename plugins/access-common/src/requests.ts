import { AccessItem } from './domain';
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
  status: GrantState;
  lastError?: string;
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
}

export interface AccessTicket {
  type?: string;
  id: string;
}

export interface AccessRequest {
  id: string;
  /** Requests split from the same submission share it. */
  submissionId: string;
  flowId: string;
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
