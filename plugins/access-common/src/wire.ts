/**
 * Shapes of the access API's HTTP exchanges that are not domain objects: list options, request
 * bodies, pages, and the answers of matching and verification. The frontend's client sends and
 * reads them; the backend's input schemas are checked against them at compile time, so the two
 * sides cannot drift apart. They mirror the backend's OpenAPI document.
 */
import { AccessFlow, AccessItem } from './domain';
import { AccessTicket, SubmissionResult } from './requests';
import { RequestStatus } from './status';

/** One page of a keyset-paginated list; pass `nextCursor` back as `cursor`. */
export interface Page<T> {
  items: T[];
  /** Present when there are more. */
  nextCursor?: string;
}

/** `limit` and `cursor` of every list route. */
export interface PageOptions {
  /** 1..500, default 50. */
  limit?: number;
  /** A `nextCursor` this API issued. */
  cursor?: string;
}

/** Whose requests `GET /requests` lists. */
export type RequestView = 'mine' | 'delegated' | 'approver' | 'all';

/** Query of `GET /requests` (`status` travels comma-separated). */
export interface ListRequestsOptions extends PageOptions {
  /** Default `mine`. */
  view?: RequestView;
  status?: RequestStatus[];
  /** Free text: part of a resource, permission, person, ticket, justification or id. */
  q?: string;
}

/** Query of `GET /inbox`. */
export interface InboxOptions extends PageOptions {
  /** Default `pending`. */
  state?: 'pending' | 'decided';
}

/** Query of `GET /resources`. */
export interface ListResourcesOptions extends PageOptions {
  q?: string;
  type?: string;
  permission?: string;
  integration?: string;
  owner?: string;
}

/** Query of `GET /tasks`. */
export interface ListTasksOptions extends PageOptions {
  /** Default `open`. */
  state?: 'open' | 'done';
}

/** Body of `POST /flows/match`. */
export interface FlowMatchQuery {
  items: AccessItem[];
  granteeRef?: string;
}

/** Body of `POST /justification/feedback`: a draft justification to score. */
export interface JustificationFeedbackQuery {
  text: string;
  ticket?: { type?: string; id?: string };
}

/** A flow and the items of a match it covers. */
export interface FlowMatch {
  flow: AccessFlow;
  items: AccessItem[];
}

/** An item no flow covers, and why. */
export interface UncoveredItem extends AccessItem {
  reason: string;
}

/** Answer of `POST /flows/match`. */
export interface FlowMatchResult {
  flows: FlowMatch[];
  uncovered: UncoveredItem[];
}

/** What may change when a request is asked again or a favorite is requested. */
export interface Resubmission {
  flowId?: string;
  /** ISO-8601 duration; not with `endAt`. */
  duration?: string;
  /** ISO-8601 date-time with an offset. */
  startAt?: string;
  /** ISO-8601 date-time with an offset; not with `duration`. */
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

/** Answer of `POST /requests`, request-again and requesting a favorite. */
export type Submitted = SubmissionResult;

/** Body of `POST /requests/:id/extend`: a duration or an end. */
export interface ExtendOptions {
  duration?: string;
  endAt?: string;
  justification?: string;
}

/** Body of approve, reject, cancel and revoke. */
export interface DecisionBody {
  /** At most 124 characters. */
  reason?: string;
}

/** Body of `POST /favorites`. */
export interface FavoriteBody {
  requestId: string;
  name?: string;
}

/** Body of `POST /tasks/:id/complete`. */
export interface TaskCompletionBody {
  note?: string;
}

/** A row's place in the audit chain: its seq and link. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/** Answer of `GET /admin/audit/verify`. */
export interface AuditVerification {
  ok: boolean;
  /** Rows examined, including the broken one when there is one. */
  checked: number;
  /** Whether a chain key is configured (keyed rows verified with it); false: an unkeyed chain. */
  keyed: boolean;
  /** With a key: the rows written before it was configured (they precede every keyed row). */
  unkeyedRows?: number;
  /** The newest row, when the chain is intact and not empty: an anchor for later checks. */
  head?: AuditAnchor;
  /** The anchor given, when the chain is intact and still has it. */
  anchor?: AuditAnchor;
  /** The seq of the first row that does not fit the chain (or of the missing anchor row). */
  brokenAt?: number;
  problem?: string;
}
