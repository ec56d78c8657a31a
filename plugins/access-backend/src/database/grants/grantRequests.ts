import { RequestStatus } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { lockRows } from '../rowLock';

/**
 * What provisioning reads of access_requests: the requests its grants belong to. The row type is
 * the caller's (the requests' own row type), so that the rows go on to the request transitions.
 */
type AnyRequestRow = { id: string; status: RequestStatus };

/** Requests read, locked and settled per statement. */
const CHUNK = 500;

/** Requests by id; ids not found are left out. */
export async function requestsByIds<Row extends AnyRequestRow>(
  db: Knex,
  ids: readonly string[],
): Promise<Map<string, Row>> {
  const found = new Map<string, Row>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows: Row[] = await db('access_requests').whereIn(
      'id',
      ids.slice(i, i + CHUNK),
    );
    rows.forEach(row => found.set(row.id, row));
  }
  return found;
}

/** Requests by id, locked for the rest of the transaction in id order (see lockRows). */
export async function lockRequests<Row extends AnyRequestRow>(
  tx: Knex.Transaction,
  ids: readonly string[],
): Promise<Map<string, Row>> {
  const found = new Map<string, Row>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows: Row[] = await lockRows(
      tx,
      tx('access_requests')
        .whereIn('id', ids.slice(i, i + CHUNK))
        .orderBy('id'),
    );
    rows.forEach(row => found.set(row.id, row));
  }
  return found;
}

/** One request, if it exists. */
export async function requestById<Row extends AnyRequestRow>(
  db: Knex,
  id: string,
): Promise<Row | undefined> {
  return db('access_requests').where({ id }).first();
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
