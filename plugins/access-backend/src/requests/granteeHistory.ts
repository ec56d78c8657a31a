import {
  AccessRequest,
  GranteeHistory,
} from '@jit-access/plugin-access-common';
import {
  ItemHistory,
  RequestHistory,
} from '../database/requests/RequestHistory';

/** How far back "granted recently" looks: long enough to see a habit, short enough to be news. */
export const HISTORY_WINDOW_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The requests with their grantee's history with the same resources and permissions, read for
 * all of them at once (a page of the inbox costs the same two queries as one request).
 */
export async function withGranteeHistory<T extends AccessRequest>(
  history: Pick<RequestHistory, 'itemHistories'>,
  requests: T[],
  now: Date,
): Promise<T[]> {
  const rows = await history.itemHistories(
    requests.map(r => r.id),
    new Date(now.getTime() - HISTORY_WINDOW_DAYS * DAY_MS),
  );
  const byItem = new Map(
    rows.map(row => [itemKey(row.requestId, row), row] as const),
  );
  return requests.map(request => ({
    ...request,
    granteeHistory: {
      windowDays: HISTORY_WINDOW_DAYS,
      items: request.items.map(item =>
        toWire(item, byItem.get(itemKey(request.id, item))),
      ),
    },
  }));
}

function toWire(
  item: { resourceRef: string; permission: string },
  row: ItemHistory | undefined,
): GranteeHistory['items'][number] {
  return {
    resourceRef: item.resourceRef,
    permission: item.permission,
    grantedInWindow: row?.grantedSince ?? 0,
    ...(row?.lastDecision
      ? {
          lastDecision: {
            decision: row.lastDecision.decision,
            approverRef: row.lastDecision.approverRef,
            decidedAt: row.lastDecision.decidedAt.toISOString(),
          },
        }
      : {}),
    pendingRequests: row?.pendingRequests ?? 0,
    ...(row?.active
      ? {
          active: row.activeUntil
            ? { expiresAt: row.activeUntil.toISOString() }
            : {},
        }
      : {}),
  };
}

function itemKey(
  requestId: string,
  item: { resourceRef: string; permission: string },
): string {
  return JSON.stringify([requestId, item.resourceRef, item.permission]);
}
