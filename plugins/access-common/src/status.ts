/**
 * The statuses a request moves through. The backend's transition module is the only writer of a
 * request's status; everything else reads these.
 */
export const REQUEST_STATUSES = [
  'pending_approval',
  'scheduled',
  'granting',
  'active',
  'revoking',
  'expired',
  'revoked',
  'rejected',
  'cancelled',
  'failed',
] as const;

export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses after which a request never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<RequestStatus> = new Set([
  'expired',
  'revoked',
  'rejected',
  'cancelled',
  'failed',
]);

export function isRequestStatus(value: unknown): value is RequestStatus {
  return (REQUEST_STATUSES as readonly unknown[]).includes(value);
}

export function isTerminalStatus(status: RequestStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
