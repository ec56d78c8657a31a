import { GrantState } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';

/** A row of access_grants: one (resource, permission) of a request and its provisioning. */
export interface GrantRow {
  id: string;
  request_id: string;
  resource_ref: string;
  permission: string;
  provisioner_id: string;
  grantee_ref: string | null;
  state: GrantState;
  version: number;
  external_id: string | null;
  attempts: number;
  next_attempt_at: Date | number | null;
  last_error: string | null;
  granted_at: Date | number | null;
  expires_at: Date | number | null;
  revoked_at: Date | number | null;
  end_reason: 'expired' | 'revoked' | null;
  credentials: string | null;
  credentials_state: 'none' | 'ready' | 'shown';
  missing_since: Date | number | null;
}

/** Grant states with provisioning work to do when their `next_attempt_at` comes. */
export const WORKING_STATES: GrantState[] = ['queued', 'granting', 'revoking'];

/** States in which a grant's access exists, or is about to. */
export const LIVE_STATES: GrantState[] = ['granting', 'active'];

/** States in which a grant's access ended, or never came. */
export const ENDED_STATES: GrantState[] = [
  'expired',
  'revoked',
  'cancelled',
  'failed',
];

/**
 * A database handle and a transaction on one, for the layers above that only pass them on to the
 * stores (they never build a query).
 */
export type Db = Knex;
export type Tx = Knex.Transaction;
