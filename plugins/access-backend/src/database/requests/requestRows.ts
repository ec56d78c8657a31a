import {
  AccessRequestApprover,
  RequestChannel,
  RequestStatus,
} from '@jit-access/plugin-access-common';
import { readDate, readOptionalDate } from '../../lib/dates';

/** A row of access_requests. */
export interface RequestRow {
  id: string;
  submission_id: string;
  requester_ref: string;
  grantee_ref: string;
  flow_id: string;
  channel: RequestChannel;
  status: RequestStatus;
  status_reason: string | null;
  version: number;
  justification: string | null;
  ticket_type: string | null;
  ticket_id: string | null;
  answers: string | null;
  duration: string | null;
  starts_at: Date | number | null;
  ends_at: Date | number | null;
  pending_deadline: Date | number | null;
  extensions_used: number;
  current_stage: number;
  bundle_id: string | null;
  extends_request_id: string | null;
  stage_started_at: Date | number | null;
  reminded_stage: number | null;
  escalated_stage: number | null;
  created_at: Date | number;
  updated_at: Date | number;
}

/**
 * The columns of a request that the API shows. Lists select only these: the engine's and the
 * reminders' bookkeeping (version, deadlines, stage timers) would be read, parsed and thrown away
 * for every row of every page.
 */
export const SHOWN_COLUMNS = [
  'id',
  'submission_id',
  'requester_ref',
  'grantee_ref',
  'flow_id',
  'channel',
  'status',
  'status_reason',
  'justification',
  'ticket_type',
  'ticket_id',
  'answers',
  'duration',
  'starts_at',
  'ends_at',
  'extensions_used',
  'current_stage',
  'bundle_id',
  'extends_request_id',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof RequestRow>;

/** What a request shows of its row. */
export type ShownRequestRow = Pick<RequestRow, (typeof SHOWN_COLUMNS)[number]>;

/** What a request shows of its stored state, as the rest of the plugin reads it. */
export interface ShownRequest {
  id: string;
  submissionId: string;
  requesterRef: string;
  granteeRef: string;
  flowId: string;
  channel: RequestChannel;
  status: RequestStatus;
  statusReason?: string;
  justification?: string;
  ticketType?: string;
  ticketId?: string;
  answers: Record<string, string>;
  /** ISO-8601 duration counted from the grant, when no explicit end was given. */
  duration?: string;
  startsAt?: Date;
  endsAt?: Date;
  extensionsUsed: number;
  currentStage: number;
  bundleId?: string;
  extendsRequestId?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A stored request with its bookkeeping: the version its next change compares and sets. */
export interface RequestRecord extends ShownRequest {
  version: number;
  pendingDeadline?: Date;
  stageStartedAt?: Date;
  remindedStage?: number;
  escalatedStage?: number;
}

/** Everything a new request is made of, written in one go; it starts pending approval. */
export interface NewRequest {
  id: string;
  submissionId: string;
  requesterRef: string;
  granteeRef: string;
  flowId: string;
  channel: RequestChannel;
  justification?: string;
  ticket?: { type?: string; id: string };
  answers: Record<string, string>;
  duration?: string;
  startsAt?: Date;
  endsAt?: Date;
  pendingDeadline: Date;
  bundleId?: string;
  extendsRequestId?: string;
  /** An extension inherits the count of its chain, so `maxExtensions` holds for the chain. */
  extensionsUsed?: number;
  createdAt: Date;
  items: Array<{
    id: string;
    resourceRef: string;
    permission: string;
    provisionerId: string;
  }>;
  approvers: AccessRequestApprover[];
}

/** The columns a transition may change beside the status (see transitions.ts). */
export interface RequestPatch {
  currentStage?: number;
  stageStartedAt?: Date;
  endsAt?: Date | null;
  extensionsUsed?: number;
}

const PATCH_COLUMNS = {
  currentStage: 'current_stage',
  stageStartedAt: 'stage_started_at',
  endsAt: 'ends_at',
  extensionsUsed: 'extensions_used',
} as const satisfies Record<keyof RequestPatch, keyof RequestRow>;

export function toPatchColumns(patch: RequestPatch): Partial<RequestRow> {
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) {
      columns[PATCH_COLUMNS[key as keyof RequestPatch]] = value;
    }
  }
  return columns as Partial<RequestRow>;
}

export function toShownRequest(row: ShownRequestRow): ShownRequest {
  const startsAt = readOptionalDate(row.starts_at);
  const endsAt = readOptionalDate(row.ends_at);
  return {
    id: row.id,
    submissionId: row.submission_id,
    requesterRef: row.requester_ref,
    granteeRef: row.grantee_ref,
    flowId: row.flow_id,
    // Read before the column's migration ran (a row without it): made through the API.
    channel: row.channel ?? 'api',
    status: row.status,
    ...(row.status_reason ? { statusReason: row.status_reason } : {}),
    ...(row.justification ? { justification: row.justification } : {}),
    ...(row.ticket_type ? { ticketType: row.ticket_type } : {}),
    ...(row.ticket_id ? { ticketId: row.ticket_id } : {}),
    answers: row.answers ? JSON.parse(row.answers) : {},
    ...(row.duration ? { duration: row.duration } : {}),
    ...(startsAt ? { startsAt } : {}),
    ...(endsAt ? { endsAt } : {}),
    extensionsUsed: Number(row.extensions_used),
    currentStage: Number(row.current_stage),
    ...(row.bundle_id ? { bundleId: row.bundle_id } : {}),
    ...(row.extends_request_id
      ? { extendsRequestId: row.extends_request_id }
      : {}),
    createdAt: readDate(row.created_at),
    updatedAt: readDate(row.updated_at),
  };
}

/**
 * What settling a request reads of it (where it is, its end, the reason it is there): fewer
 * columns than a record, for the thousands settled at once when access ends in bulk.
 */
export type RequestState = Pick<
  RequestRecord,
  'id' | 'status' | 'version' | 'endsAt' | 'statusReason'
>;

export const STATE_COLUMNS = [
  'id',
  'status',
  'version',
  'ends_at',
  'status_reason',
] as const satisfies ReadonlyArray<keyof RequestRow>;

export function toRequestState(
  row: Pick<RequestRow, (typeof STATE_COLUMNS)[number]>,
): RequestState {
  const endsAt = readOptionalDate(row.ends_at);
  return {
    id: row.id,
    status: row.status,
    version: Number(row.version),
    ...(endsAt ? { endsAt } : {}),
    ...(row.status_reason ? { statusReason: row.status_reason } : {}),
  };
}

/** What a provisioner's target needs of a request: whose access, from when, until when. */
export type RequestTarget = Pick<
  RequestRecord,
  'id' | 'granteeRef' | 'startsAt' | 'endsAt'
>;

export const TARGET_COLUMNS = [
  'id',
  'grantee_ref',
  'starts_at',
  'ends_at',
] as const satisfies ReadonlyArray<keyof RequestRow>;

export function toRequestTarget(
  row: Pick<RequestRow, (typeof TARGET_COLUMNS)[number]>,
): RequestTarget {
  const startsAt = readOptionalDate(row.starts_at);
  const endsAt = readOptionalDate(row.ends_at);
  return {
    id: row.id,
    granteeRef: row.grantee_ref,
    ...(startsAt ? { startsAt } : {}),
    ...(endsAt ? { endsAt } : {}),
  };
}

export function toRecord(row: RequestRow): RequestRecord {
  const pendingDeadline = readOptionalDate(row.pending_deadline);
  const stageStartedAt = readOptionalDate(row.stage_started_at);
  return {
    ...toShownRequest(row),
    version: Number(row.version),
    ...(pendingDeadline ? { pendingDeadline } : {}),
    ...(stageStartedAt ? { stageStartedAt } : {}),
    ...(row.reminded_stage !== null && row.reminded_stage !== undefined
      ? { remindedStage: Number(row.reminded_stage) }
      : {}),
    ...(row.escalated_stage !== null && row.escalated_stage !== undefined
      ? { escalatedStage: Number(row.escalated_stage) }
      : {}),
  };
}

/** The row a new request is inserted as. */
export function newRequestRow(request: NewRequest) {
  return {
    id: request.id,
    submission_id: request.submissionId,
    requester_ref: request.requesterRef,
    grantee_ref: request.granteeRef,
    flow_id: request.flowId,
    channel: request.channel,
    status: 'pending_approval' as RequestStatus,
    status_reason: null,
    justification: request.justification ?? null,
    ticket_type: request.ticket?.type ?? null,
    ticket_id: request.ticket?.id ?? null,
    answers: JSON.stringify(request.answers),
    duration: request.duration ?? null,
    starts_at: request.startsAt ?? null,
    ends_at: request.endsAt ?? null,
    pending_deadline: request.pendingDeadline,
    bundle_id: request.bundleId ?? null,
    ...(request.extendsRequestId !== undefined
      ? { extends_request_id: request.extendsRequestId }
      : {}),
    ...(request.extensionsUsed !== undefined
      ? { extensions_used: request.extensionsUsed }
      : {}),
    stage_started_at: request.createdAt,
    created_at: request.createdAt,
    updated_at: request.createdAt,
  };
}

/** The record of a request just inserted, as the row now reads. */
export function newRequestRecord(request: NewRequest): RequestRecord {
  return toRecord({
    ...newRequestRow(request),
    extends_request_id: request.extendsRequestId ?? null,
    extensions_used: request.extensionsUsed ?? 0,
    current_stage: 0,
    version: 0,
    reminded_stage: null,
    escalated_stage: null,
  });
}

/** One request of an extension chain: the original access, or an extension asked of it. */
export interface ChainLink {
  id: string;
  requesterRef: string;
  granteeRef: string;
  /** The request this one extends; absent on the original. */
  extendsRequestId?: string;
}

/** A decision already recorded on a request. */
export interface RecordedDecision {
  stage: number;
  approverRef: string;
  decision: string;
}
