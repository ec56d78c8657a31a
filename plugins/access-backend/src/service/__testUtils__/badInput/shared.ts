/*
 * The shared parts of the bad-input cases: what a case is, the requests made before the cases
 * run, the values the cases send, and the tables that must stay as they were.
 */

export const HOUR = 60 * 60 * 1000;
export const at = (offsetMs: number) =>
  new Date(Date.now() + offsetMs).toISOString();

export const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
export const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };
export const JUSTIFICATION = 'Investigate failed payouts in INC-42';
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
export const XSS = '<script>alert(1)</script>';

export const TABLES = [
  'access_requests',
  'access_grants',
  'access_request_approvers',
  'access_approvals',
  'access_audit_events',
] as const;
export const TABLE_ORDER: Record<(typeof TABLES)[number], string[]> = {
  access_requests: ['id'],
  access_grants: ['id'],
  access_request_approvers: ['request_id', 'stage', 'approver_ref'],
  access_approvals: ['id'],
  access_audit_events: ['seq'],
};

export const items = (count: number, item: object = SANDBOX) =>
  Array.from({ length: count }, () => item);
export const base64url = (value: unknown) =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The requests created before the cases run, for the cases that need a real request id. */
export interface Fixtures {
  /** dana's payments-db request under 'owner-approval', waiting for lee. */
  pendingId: string;
  /** dana's payments-db request, cancelled by dana. */
  cancelledId: string;
}

export interface BadInput {
  name: string;
  method: 'get' | 'post';
  path: (fx: Fixtures) => string;
  /** A JSON body; a string is sent as raw `application/json` text, exactly as written. */
  body?: object | string;
  /** The demo user who sends it (dana unless said). */
  as?: string;
  status: number;
  /** What the error message must say: the field, or the reason. */
  message: RegExp;
}

export const notARef = (field: string, ref: string) =>
  new RegExp(
    `${field.replace(/[[\]]/g, '\\$&')}: '${ref.replace(
      /[/\\^$*+?.()|[\]{}]/g,
      '\\$&',
    )}' is not an entity ref of the form \\[kind:\\]\\[namespace/\\]name`,
  );
