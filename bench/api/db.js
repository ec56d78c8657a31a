/*
 * Database chores of the API benchmark, with the `pg` client (no psql needed):
 *   node bench/api/db.js reset   drop the backstage_plugin_* databases a benchmark backend made
 *   node bench/api/db.js seed    seed the access plugin's tables (bench/api/seed.sql)
 * BENCH_PG_HOST, BENCH_PG_PORT, BENCH_PG_USER (127.0.0.1, 5432, postgres); BENCH_REQUESTS (1000000).
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');

const pg = {
  host: process.env.BENCH_PG_HOST || '127.0.0.1',
  port: Number(process.env.BENCH_PG_PORT || 5432),
  user: process.env.BENCH_PG_USER || 'postgres',
};
const PREFIX = 'backstage_plugin_';
const ACCESS_DB = `${PREFIX}access`;

async function withClient(database, fn) {
  const client = new Client({ ...pg, database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops every backstage_plugin_* database, refusing when something is still connected to one. */
async function reset() {
  await withClient('postgres', async client => {
    const { rows } = await client.query(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname`,
      [`${PREFIX.replace(/_/g, '\\_')}%`],
    );
    if (rows.length === 0) {
      console.log('No backstage_plugin_* databases to drop');
      return;
    }
    const names = rows.map(r => r.datname);
    const { rows: busy } = await client.query(
      `SELECT datname, count(*)::int AS n FROM pg_stat_activity
       WHERE datname = ANY($1) GROUP BY datname`,
      [names],
    );
    if (busy.length > 0) {
      throw new Error(
        `Another backend is connected to ${busy
          .map(b => `${b.datname} (${b.n})`)
          .join(', ')}: stop it before benchmarking (nothing was dropped)`,
      );
    }
    for (const name of names) {
      await client.query(
        `DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}"`,
      );
    }
    console.log(`Dropped ${names.join(', ')}`);
  });
}

/** Runs seed.sql: the load in one transaction, VACUUM (ANALYZE) table by table, a checkpoint. */
async function seed() {
  const n = Number(process.env.BENCH_REQUESTS || 1_000_000);
  if (!Number.isInteger(n) || n < 60_000) {
    throw new Error('BENCH_REQUESTS must be a whole number of at least 60000');
  }
  const t0 = new Date();
  t0.setUTCMilliseconds(0);
  const text = fs
    .readFileSync(path.join(__dirname, 'seed.sql'), 'utf8')
    .replace(/^\\set .*$/gm, '')
    .replace(/(?<!:):'t0'/g, `'${t0.toISOString()}'`)
    .replace(/(?<!:):n\b/g, String(n));
  const cut = text.indexOf('COMMIT;') + 'COMMIT;'.length;
  const load = text.slice(0, cut);
  const after = text
    .slice(cut)
    .split(';')
    .map(s => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
  await withClient(ACCESS_DB, async client => {
    const started = Date.now();
    await client.query(load);
    const loaded = Date.now();
    for (const statement of after) {
      await client.query(statement);
    }
    // Writes the freshly loaded pages out now, so that the server's background writer does not
    // flush gigabytes to disk during the measurements (a year of history would be on disk long ago).
    await client.query('CHECKPOINT');
    const { rows } = await client.query(`
      SELECT
        (SELECT count(*) FROM access_requests)::int AS requests,
        (SELECT count(*) FROM access_grants)::int AS grants,
        (SELECT count(*) FROM access_request_approvers)::int AS approvers,
        (SELECT count(*) FROM access_approvals)::int AS approvals,
        (SELECT count(*) FROM access_requests WHERE status = 'pending_approval')::int AS pending,
        (SELECT count(*) FROM access_requests WHERE status = 'active')::int AS active,
        pg_size_pretty(pg_total_relation_size('access_requests')) AS requests_size`);
    console.log(
      `Seeded in ${((loaded - started) / 1000).toFixed(
        1,
      )} s, vacuumed, analysed and checkpointed in ${(
        (Date.now() - loaded) /
        1000
      ).toFixed(1)} s: ${JSON.stringify(rows[0])}`,
    );
  });
}

const commands = { reset, seed };
const command = commands[process.argv[2]];
if (!command) {
  console.error('usage: node bench/api/db.js reset|seed');
  process.exit(2);
}
command().catch(error => {
  console.error(error.message);
  process.exit(1);
});
