import { Knex } from 'knex';
import {
  RequestRecord,
  RequestRow,
  RequestState,
  RequestTarget,
  STATE_COLUMNS,
  TARGET_COLUMNS,
  toRecord,
  toRequestState,
  toRequestTarget,
} from '../requests/requestRows';
import { lockRows } from '../rowLock';

/*
 * What provisioning reads of access_requests: the requests its grants belong to, as records that
 * go on to the request transitions.
 */

/** Requests read, locked and settled per statement. */
const CHUNK = 500;

/** What provisioning needs of requests, by id; ids not found are left out. */
export async function requestTargetsByIds(
  db: Knex,
  ids: readonly string[],
): Promise<Map<string, RequestTarget>> {
  const found = new Map<string, RequestTarget>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows: Pick<RequestRow, (typeof TARGET_COLUMNS)[number]>[] = await db(
      'access_requests',
    )
      .select(TARGET_COLUMNS)
      .whereIn('id', ids.slice(i, i + CHUNK));
    rows.forEach(row => found.set(row.id, toRequestTarget(row)));
  }
  return found;
}

/**
 * The states of requests by id (what settling and expiring them reads), locked for the rest of
 * the transaction in id order (see lockRows).
 */
export async function lockRequestStates(
  tx: Knex.Transaction,
  ids: readonly string[],
): Promise<Map<string, RequestState>> {
  const found = new Map<string, RequestState>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows: Pick<RequestRow, (typeof STATE_COLUMNS)[number]>[] =
      await lockRows(
        tx,
        tx('access_requests')
          .select(STATE_COLUMNS)
          .whereIn('id', ids.slice(i, i + CHUNK))
          .orderBy('id'),
      );
    rows.forEach(row => found.set(row.id, toRequestState(row)));
  }
  return found;
}

/** One request, if it exists. */
export async function requestById(
  db: Knex,
  id: string,
): Promise<RequestRecord | undefined> {
  const row: RequestRow | undefined = await db('access_requests')
    .where({ id })
    .first();
  return row && toRecord(row);
}

/**
 * Up to `limit` ids of granting or active requests whose end has come but which have no active
 * or revoking grant (the claim ends those), soonest end first.
 */
export async function endedWithoutLiveGrant(
  db: Knex,
  now: Date,
  limit: number,
): Promise<string[]> {
  const rows = await db('access_requests')
    .whereIn('status', ['active', 'granting'])
    .where('ends_at', '<=', now)
    .whereNotExists(
      db('access_grants')
        .select(db.raw('1'))
        .whereRaw('access_grants.request_id = access_requests.id')
        .whereIn('access_grants.state', ['active', 'revoking']),
    )
    .orderBy('ends_at')
    .limit(limit)
    .select('id');
  return rows.map((row: { id: string }) => row.id);
}

/** Which of these requests are scheduled. */
export async function scheduledAmong(
  db: Knex,
  ids: readonly string[],
): Promise<string[]> {
  const rows = await db('access_requests')
    .whereIn('id', ids)
    .where('status', 'scheduled')
    .select('id');
  return rows.map((row: { id: string }) => row.id);
}
