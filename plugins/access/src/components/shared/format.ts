import { parseEntityRef } from '@backstage/catalog-model';
import { RequestStatus } from '@jit-access/plugin-access-common';
import { DateTime, Duration } from 'luxon';
import type { AccessT } from './i18n';

/*
 * Dates, times, durations and lists for people, in their locale (a BCP 47 tag such as "en-US"
 * or "de-DE", see `useLocale`). Components get these bound to the viewer's locale and messages
 * through `useAccessTranslation().format`.
 */

/** "Mar 3, 2025, 2:05 PM" (en-US), "3. März 2025, 14:05" (de-DE); empty for a missing time. */
export function formatDateTime(
  iso: string | undefined,
  locale: string,
): string {
  if (!iso) {
    return '';
  }
  return DateTime.fromISO(iso)
    .setLocale(locale)
    .toLocaleString(DateTime.DATETIME_MED);
}

/** "in 2 hours" / "3 days ago". */
export function formatRelative(
  iso: string | undefined,
  locale: string,
  now: DateTime = DateTime.now(),
): string {
  if (!iso) {
    return '';
  }
  return DateTime.fromISO(iso).toRelative({ base: now, locale }) ?? '';
}

/** An ISO-8601 duration for people: `PT4H` → "4 hours", `P1DT2H` → "1 day, 2 hours". */
export function formatIsoDuration(
  iso: string | undefined,
  locale: string,
): string {
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
  return Duration.fromObject(Object.fromEntries(parts), { locale }).toHuman({
    unitDisplay: 'long',
  });
}

/**
 * What is left until `iso` in the locale's narrow units: "1h 05m 09s", "2d 3h" (en);
 * undefined once past.
 */
export function formatRemaining(
  iso: string,
  locale: string,
  now: DateTime = DateTime.now(),
): string | undefined {
  const left = DateTime.fromISO(iso).diff(now, [
    'days',
    'hours',
    'minutes',
    'seconds',
  ]);
  if (left.toMillis() <= 0) {
    return undefined;
  }
  const { days, hours, minutes, seconds } = left.toObject();
  const unit = (
    name: 'day' | 'hour' | 'minute' | 'second',
    value = 0,
    digits = 1,
  ) =>
    new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: name,
      unitDisplay: 'narrow',
      minimumIntegerDigits: digits,
    }).format(Math.floor(value));
  if (days) {
    return `${unit('day', days)} ${unit('hour', hours)}`;
  }
  if (hours) {
    return `${unit('hour', hours)} ${unit('minute', minutes, 2)} ${unit(
      'second',
      seconds,
      2,
    )}`;
  }
  return `${unit('minute', minutes)} ${unit('second', seconds, 2)}`;
}

/** A number with the locale's digit grouping: 1,000 (en), 1.000 (de). */
export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** Items of a list joined the locale's way, without a conjunction: "a, b, c". */
export function formatList(values: string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'short', type: 'unit' }).format(
    values,
  );
}

/**
 * `user:default/dana` → "dana"; other namespaces and kinds stay visible. For ids and as the
 * fallback of `useEntityTitles`: text for people names entities by their catalog titles.
 */
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

const STATUS_KEYS = {
  pending_approval: 'shared.status.pending_approval',
  scheduled: 'shared.status.scheduled',
  granting: 'shared.status.granting',
  active: 'shared.status.active',
  revoking: 'shared.status.revoking',
  expired: 'shared.status.expired',
  revoked: 'shared.status.revoked',
  rejected: 'shared.status.rejected',
  cancelled: 'shared.status.cancelled',
  failed: 'shared.status.failed',
} as const satisfies Record<RequestStatus, string>;

/** A request's status in words; a status this version does not know stays as it is. */
export function statusLabel(status: RequestStatus, t: AccessT): string {
  return status in STATUS_KEYS ? t(STATUS_KEYS[status]) : status;
}

/**
 * "Payments PostgreSQL database (read), Ledger (write) and 3 more", each resource named by
 * `title` (see `useEntityTitles`).
 */
export function summariseItems(
  items: { resourceRef: string; permission: string }[],
  title: (entityRef: string) => string,
  t: AccessT,
  locale: string,
  shown = 2,
): string {
  const named = formatList(
    items.slice(0, shown).map(i =>
      t('shared.items.item', {
        resource: title(i.resourceRef),
        permission: i.permission,
      }),
    ),
    locale,
  );
  const more = items.length - shown;
  return more > 0
    ? t('shared.items.more', { items: named, count: more })
    : named;
}
