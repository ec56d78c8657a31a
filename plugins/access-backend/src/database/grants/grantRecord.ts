import { GrantState } from '@jit-access/plugin-access-common';
import { readOptionalDate } from '../../lib/dates';
import { GrantRow } from './grantRow';

/** A grant as the rest of the plugin reads it: one (resource, permission) of a request. */
export interface GrantRecord {
  id: string;
  requestId: string;
  resourceRef: string;
  permission: string;
  provisionerId: string;
  granteeRef?: string;
  state: GrantState;
  /** The version its next change compares and sets. */
  version: number;
  externalId?: string;
  attempts: number;
  nextAttemptAt?: Date;
  lastError?: string;
  grantedAt?: Date;
  expiresAt?: Date;
  revokedAt?: Date;
  endReason?: 'expired' | 'revoked';
  /** Sealed credentials, until the grantee has seen them once. */
  credentials?: string;
  credentialsState: 'none' | 'ready' | 'shown';
  missingSince?: Date;
}

/** What a change of a grant writes beside its version; null clears a column. */
export interface GrantPatch {
  state?: GrantState;
  externalId?: string | null;
  attempts?: number;
  nextAttemptAt?: Date | null;
  lastError?: string | null;
  grantedAt?: Date | null;
  expiresAt?: Date | null;
  revokedAt?: Date | null;
  endReason?: 'expired' | 'revoked' | null;
  credentials?: string | null;
  credentialsState?: 'none' | 'ready' | 'shown';
  missingSince?: Date | null;
}

const PATCH_COLUMNS = {
  state: 'state',
  externalId: 'external_id',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  lastError: 'last_error',
  grantedAt: 'granted_at',
  expiresAt: 'expires_at',
  revokedAt: 'revoked_at',
  endReason: 'end_reason',
  credentials: 'credentials',
  credentialsState: 'credentials_state',
  missingSince: 'missing_since',
} as const satisfies Record<keyof GrantPatch, keyof GrantRow>;

/** The columns a patch writes, in the patch's order (bulk writes group by them). */
export function toGrantColumns(patch: GrantPatch): Partial<GrantRow> {
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) {
      columns[PATCH_COLUMNS[key as keyof GrantPatch]] = value;
    }
  }
  return columns as Partial<GrantRow>;
}

const present = <K extends string, V>(key: K, value: V | null | undefined) =>
  (value === null || value === undefined ? {} : { [key]: value }) as {
    [P in K]?: V;
  };

export function toGrantRecord(row: GrantRow): GrantRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    resourceRef: row.resource_ref,
    permission: row.permission,
    provisionerId: row.provisioner_id,
    ...present('granteeRef', row.grantee_ref),
    state: row.state,
    version: Number(row.version),
    ...present('externalId', row.external_id),
    attempts: Number(row.attempts),
    ...present('nextAttemptAt', readOptionalDate(row.next_attempt_at)),
    ...present('lastError', row.last_error),
    ...present('grantedAt', readOptionalDate(row.granted_at)),
    ...present('expiresAt', readOptionalDate(row.expires_at)),
    ...present('revokedAt', readOptionalDate(row.revoked_at)),
    ...present('endReason', row.end_reason),
    ...present('credentials', row.credentials),
    credentialsState: row.credentials_state ?? 'none',
    ...present('missingSince', readOptionalDate(row.missing_since)),
  };
}

/** What settling a request reads of its grants: fewer columns than a record. */
export type GrantSettleState = Pick<
  GrantRecord,
  'id' | 'requestId' | 'state' | 'lastError' | 'endReason'
>;

export const SETTLE_STATE_COLUMNS = [
  'id',
  'request_id',
  'state',
  'last_error',
  'end_reason',
] as const satisfies ReadonlyArray<keyof GrantRow>;

export function toGrantSettleState(
  row: Pick<GrantRow, (typeof SETTLE_STATE_COLUMNS)[number]>,
): GrantSettleState {
  return {
    id: row.id,
    requestId: row.request_id,
    state: row.state,
    ...present('lastError', row.last_error),
    ...present('endReason', row.end_reason),
  };
}
