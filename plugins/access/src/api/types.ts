/**
 * Shapes of the access API that the shared types package does not (yet) carry: request bodies,
 * pages and the answers of matching, scoring and verification. They mirror the backend's
 * OpenAPI document.
 */
import {
  AccessFlow,
  AccessItem,
  AccessRequest,
  AccessTicket,
  CallerIdentity,
  FulfilmentTask,
  RequestStatus,
} from '@jit-access/plugin-access-common';

/** One page of a keyset-paginated list; pass `nextCursor` back as `cursor`. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageOptions {
  limit?: number;
  cursor?: string;
}

export type RequestView = 'mine' | 'delegated' | 'approver' | 'all';

export interface ListRequestsOptions extends PageOptions {
  view?: RequestView;
  status?: RequestStatus[];
  /** Free text: part of a resource, permission, person, ticket, justification or id. */
  q?: string;
}

export interface InboxOptions extends PageOptions {
  state?: 'pending' | 'decided';
}

export interface ListResourcesOptions extends PageOptions {
  q?: string;
  type?: string;
  permission?: string;
  integration?: string;
  owner?: string;
}

export interface ListTasksOptions extends PageOptions {
  state?: FulfilmentTask['state'];
}

export interface FlowMatch {
  flow: AccessFlow;
  items: AccessItem[];
}

export interface UncoveredItem extends AccessItem {
  reason: string;
}

export interface FlowMatchResult {
  flows: FlowMatch[];
  uncovered: UncoveredItem[];
}

/** What may change when a request is asked again or a favorite is requested. */
export interface Resubmission {
  flowId?: string;
  duration?: string;
  startAt?: string;
  endAt?: string;
  justification?: string;
  ticket?: AccessTicket;
  answers?: Record<string, string>;
}

/** Body of `POST /requests`: items and/or a bundle (whole, or the part in `bundle.items`). */
export interface Submission extends Resubmission {
  items?: AccessItem[];
  bundle?: { id: string; items?: AccessItem[] };
  granteeRef?: string;
}

export interface ExtendOptions {
  duration?: string;
  endAt?: string;
  justification?: string;
}

export type {
  JustificationCheck,
  JustificationFeedback,
} from '@jit-access/plugin-access-common';

export interface AuditVerification {
  ok: boolean;
  checked: number;
  brokenAt?: number;
  problem?: string;
}

/** `GET /me`: who is signed in, what they own, and whether they are an admin. */
export type Caller = CallerIdentity;

/** Requests of one submission, as `POST /requests` answers them. */
export interface Submitted {
  submissionId: string;
  requests: AccessRequest[];
}
