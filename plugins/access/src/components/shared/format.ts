import { parseEntityRef } from '@backstage/catalog-model';
import { RequestStatus } from '@jit-access/plugin-access-common';
import { DateTime, Duration } from 'luxon';

/** "Mar 3, 2025, 2:05 PM" in the viewer's zone; empty for a missing time. */
export function formatDateTime(iso?: string): string {
  if (!iso) {
    return '';
  }
  return DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED);
}

/** "in 2 hours" / "3 days ago". */
export function formatRelative(
  iso?: string,
  now: DateTime = DateTime.now(),
): string {
  if (!iso) {
    return '';
  }
  return DateTime.fromISO(iso).toRelative({ base: now }) ?? '';
}

/** An ISO-8601 duration for people: `PT4H` → "4 hours", `P1DT2H` → "1 day, 2 hours". */
export function formatIsoDuration(iso?: string): string {
  if (!iso) {
    return '';
  }
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) {
    return iso;
  }
  const parts = Object.entries(duration.toObject()).filter(
    ([, value]) => value,
  );
  if (parts.length === 0) {
    return iso;
  }
  return Duration.fromObject(Object.fromEntries(parts)).toHuman({
    unitDisplay: 'long',
  });
}

/** What is left until `iso`: "1h 05m 09s", "2d 3h"; "ended" once past. */
export function formatRemaining(
  iso: string,
  now: DateTime = DateTime.now(),
): string {
  const left = DateTime.fromISO(iso).diff(now, [
    'days',
    'hours',
    'minutes',
    'seconds',
  ]);
  if (left.toMillis() <= 0) {
    return 'ended';
  }
  const { days, hours, minutes, seconds } = left.toObject();
  const pad = (n = 0) => String(Math.floor(n)).padStart(2, '0');
  if (days) {
    return `${days}d ${Math.floor(hours ?? 0)}h`;
  }
  if (hours) {
    return `${Math.floor(hours)}h ${pad(minutes)}m ${pad(seconds)}s`;
  }
  return `${Math.floor(minutes ?? 0)}m ${pad(seconds)}s`;
}

/** `user:default/dana` → "dana"; other namespaces and kinds stay visible. */
export function shortRef(ref: string): string {
  try {
    const { kind, namespace, name } = parseEntityRef(ref);
    const ns = namespace === 'default' ? '' : `${namespace}/`;
    const showKind = !['user', 'resource'].includes(
      kind.toLocaleLowerCase('en-US'),
    );
    return `${showKind ? `${kind}:` : ''}${ns}${name}`;
  } catch {
    return ref;
  }
}

const STATUS_LABELS: Record<RequestStatus, string> = {
  pending_approval: 'Pending approval',
  scheduled: 'Scheduled',
  granting: 'Granting',
  active: 'Active',
  revoking: 'Revoking',
  expired: 'Expired',
  revoked: 'Revoked',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

export function statusLabel(status: RequestStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** "payments-db (read), ledger (write) and 3 more". */
export function summariseItems(
  items: { resourceRef: string; permission: string }[],
  shown = 2,
): string {
  const named = items
    .slice(0, shown)
    .map(i => `${shortRef(i.resourceRef)} (${i.permission})`)
    .join(', ');
  const more = items.length - shown;
  return more > 0 ? `${named} and ${more} more` : named;
}
