/**
 * Which actions apply to a request now, for the caller. These mirror the backend's rules so that
 * the screens offer only what would be accepted; the backend still decides.
 */
import {
  AccessRequest,
  AccessRequestItem,
  isTerminalStatus,
} from '@jit-access/plugin-access-common';
import { DateTime } from 'luxon';

export interface Viewer {
  userEntityRef?: string;
  isAdmin?: boolean;
}

/** Extend appears in the last quarter of the grant, and at least in its last hour. */
const NEAR_END_SHARE = 0.25;
const NEAR_END_MIN_MS = 60 * 60 * 1000;

export function endOf(request: AccessRequest): string | undefined {
  if (request.endAt) return request.endAt;
  const ends = request.items
    .map(i => i.expiresAt)
    .filter((e): e is string => Boolean(e))
    .sort();
  return ends[ends.length - 1];
}

function startOf(request: AccessRequest): string {
  const granted = request.items
    .map(i => i.grantedAt)
    .filter((e): e is string => Boolean(e))
    .sort();
  return request.startAt ?? granted[0] ?? request.createdAt;
}

export function isNearEnd(
  request: AccessRequest,
  now: DateTime = DateTime.now(),
): boolean {
  const end = endOf(request);
  if (!end) return false;
  const endTime = DateTime.fromISO(end);
  const total = endTime.diff(DateTime.fromISO(startOf(request))).toMillis();
  const left = endTime.diff(now).toMillis();
  return left > 0 && left <= Math.max(total * NEAR_END_SHARE, NEAR_END_MIN_MS);
}

const isRequester = (r: AccessRequest, v: Viewer) =>
  Boolean(v.userEntityRef) && r.requesterRef === v.userEntityRef;
const isGrantee = (r: AccessRequest, v: Viewer) =>
  Boolean(v.userEntityRef) && r.granteeRef === v.userEntityRef;

export function canCancel(r: AccessRequest, v: Viewer): boolean {
  return (
    isRequester(r, v) && ['pending_approval', 'scheduled'].includes(r.status)
  );
}

export function canRevoke(r: AccessRequest, v: Viewer): boolean {
  return (
    (isRequester(r, v) || isGrantee(r, v) || Boolean(v.isAdmin)) &&
    ['scheduled', 'granting', 'active'].includes(r.status)
  );
}

/** The flow still allows an extension (regardless of how near the end is). */
export function extensionsLeft(r: AccessRequest): number {
  const ext = r.extension;
  return ext ? Math.max(ext.max - ext.used, 0) : 0;
}

export function canExtend(
  r: AccessRequest,
  v: Viewer,
  now: DateTime = DateTime.now(),
): boolean {
  return (
    (isGrantee(r, v) || isRequester(r, v)) &&
    r.status === 'active' &&
    extensionsLeft(r) > 0 &&
    isNearEnd(r, now)
  );
}

/**
 * The grant has credentials of its own: still sealed (`credentialsReady`) or shown once already
 * (`credentialsShown`, when only a reset shows new ones). The backend sends one or the other.
 */
export function hasCredentials(
  item: Pick<
    AccessRequestItem,
    'status' | 'credentialsReady' | 'credentialsShown'
  >,
): boolean {
  return (
    item.status === 'active' &&
    Boolean(item.credentialsReady || item.credentialsShown)
  );
}

export function canRequestAgain(r: AccessRequest, v: Viewer): boolean {
  return isRequester(r, v) && isTerminalStatus(r.status);
}

export function canFavorite(r: AccessRequest, v: Viewer): boolean {
  return (
    isRequester(r, v) && !['pending_approval', 'scheduled'].includes(r.status)
  );
}
