/*
 * The SQL behind the measured list routes, rebuilt with Knex the way
 * plugins/access-backend/src/requests/RequestStore.ts builds it (list, inbox, page, hydrate),
 * so that the benchmark can EXPLAIN exactly what the backend sends to PostgreSQL.
 * Keep it in step with RequestStore.ts.
 */
'use strict';

const knexFactory = require('knex');

// Only builds SQL; never connects.
const knex = knexFactory({ client: 'pg' });

/** The cursor the API issues: base64url JSON of { createdAt: ms, id } of the last item. */
function encodeCursor(createdAt, id) {
  return Buffer.from(
    JSON.stringify({ createdAt: createdAt.getTime(), id }),
    'utf8',
  ).toString('base64url');
}

function decodeCursor(cursor) {
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
}

/** RequestStore.page: keyset on (created_at desc, id desc), one row more than the page. */
function page(query, limit, cursor) {
  if (cursor) {
    const after = decodeCursor(cursor);
    const at = new Date(after.createdAt);
    query.whereRaw('(created_at, id) < (?, ?)', [at, after.id]);
  }
  return query
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit + 1);
}

/** RequestStore.list with view=mine. */
function listMine({ userRef, limit, cursor }) {
  return page(
    knex('access_requests').where('grantee_ref', userRef),
    limit,
    cursor,
  )
    .toSQL()
    .toNative();
}

/**
 * Not what the backend runs: list() for view=mine with the keyset condition written as a row
 * comparison, (created_at, id) < (cursor), which PostgreSQL can use as an index condition.
 */
function listMineRowComparison({ userRef, limit, cursor }) {
  const after = decodeCursor(cursor);
  return knex('access_requests')
    .where('grantee_ref', userRef)
    .whereRaw('("created_at", "id") < (?::timestamptz, ?)', [
      new Date(after.createdAt),
      after.id,
    ])
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit + 1)
    .toSQL()
    .toNative();
}

/** RequestStore.inbox with state=pending. */
function inboxPending({ userRef, limit, cursor }) {
  const query = knex('access_requests')
    .where('status', 'pending_approval')
    .whereExists(
      knex('access_request_approvers')
        .select(knex.raw('1'))
        .whereRaw('access_request_approvers.request_id = access_requests.id')
        .whereRaw(
          'access_request_approvers.stage = access_requests.current_stage',
        )
        .where('access_request_approvers.approver_ref', userRef),
    )
    .whereNotExists(
      knex('access_approvals')
        .select(knex.raw('1'))
        .whereRaw('access_approvals.request_id = access_requests.id')
        .where('access_approvals.approver_ref', userRef),
    );
  return page(query, limit, cursor).toSQL().toNative();
}

/** RequestStore.hydrate: the three look-ups for the rows of one page. */
function hydrate(ids) {
  return {
    grants: knex('access_grants')
      .whereIn('request_id', ids)
      .orderBy(['resource_ref', 'permission'])
      .select(
        'id',
        'request_id',
        'resource_ref',
        'permission',
        'state',
        'last_error',
        'granted_at',
        'expires_at',
        'revoked_at',
        'end_reason',
        'credentials_state',
        knex('access_fulfilment_tasks')
          .min('access_fulfilment_tasks.id')
          .whereRaw('access_fulfilment_tasks.grant_id = access_grants.id')
          .where('access_fulfilment_tasks.state', 'open')
          .as('open_task_id'),
      )
      .toSQL()
      .toNative(),
    approvals: knex('access_approvals')
      .whereIn('request_id', ids)
      .orderBy('decided_at')
      .toSQL()
      .toNative(),
    approvers: knex('access_request_approvers')
      .whereIn('request_id', ids)
      .orderBy(['stage', 'approver_ref'])
      .toSQL()
      .toNative(),
  };
}

module.exports = {
  encodeCursor,
  decodeCursor,
  listMine,
  listMineRowComparison,
  inboxPending,
  hydrate,
};
