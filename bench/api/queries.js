/*
 * The SQL behind the measured list routes, as the backend's own RequestStore
 * (plugins/access-backend/src/requests/RequestStore.ts) sends it: each list is run through the
 * store on a Knex connection to the benchmark's database and the statements it sends are kept,
 * so that the benchmark EXPLAINs exactly what the backend runs, without a copy of its SQL.
 */
'use strict';

// Backstage's TypeScript transform (what `yarn start` uses), to load the plugin's sources.
require('@backstage/cli-node/config/nodeTransform.cjs');
const knexFactory = require('knex');
const {
  RequestStore,
} = require('../../plugins/access-backend/src/requests/RequestStore.ts');
const {
  encodeCursor,
} = require('../../plugins/access-backend/src/service/pagination.ts');

/** Hydrating needs a flow's facts to shape the answer, not to build its SQL. */
const ANY_FLOW = {
  stageCount: 1,
  maxExtensions: 0,
  extensionRequiresApproval: false,
  durations: [],
  requireReason: 'none',
};

/** The store's SQL on `connection` (a pg connection config). Call end() when done. */
function storeQueries(connection) {
  const knex = knexFactory({ client: 'pg', connection });
  const store = new RequestStore(knex);

  /** Runs `work` and returns what it returned and the statements it sent, in order. */
  const capture = async work => {
    const sent = [];
    const keep = query =>
      sent.push({ sql: query.sql, bindings: query.bindings });
    knex.on('query', keep);
    try {
      return { result: await work(), sent };
    } finally {
      knex.off('query', keep);
    }
  };
  const only = async work => {
    const { result, sent } = await capture(work);
    if (sent.length !== 1) {
      throw new Error(`expected one statement, the store sent ${sent.length}`);
    }
    return { result, statement: sent[0] };
  };

  return {
    /** GET /requests?view=mine: the page's statement and its rows. */
    listMine: ({ userRef, limit, cursor }) =>
      only(() => store.list({ view: 'mine', userRef, limit, cursor })),
    /** GET /inbox?state=pending. */
    inboxPending: async ({ userRef, limit }) =>
      (await only(() => store.inbox({ userRef, state: 'pending', limit })))
        .statement,
    /** The three look-ups that fill in a page: grants, approvals, approvers (in that order). */
    hydrate: async rows => {
      const { sent } = await capture(() => store.hydrate(rows, () => ANY_FLOW));
      const [grants, approvals, approvers] = [
        'access_grants',
        'access_approvals',
        'access_request_approvers',
      ].map(table => sent.find(s => s.sql.includes(`from "${table}" where`)));
      return { grants, approvals, approvers };
    },
    end: () => knex.destroy(),
  };
}

/** The cursor the API issues for a page ending with this request. */
const cursorAfter = (createdAt, id) =>
  encodeCursor({ createdAt: createdAt.getTime(), id });

module.exports = { storeQueries, cursorAfter };
