// Prepares the demo's payments database on the local PostgreSQL server, so that requests for
// payments-db are granted for real by the PostgreSQL provisioner: a database with a payouts
// table, a read-only role and a read-write role. Idempotent. Exits non-zero (with the reason)
// when the server cannot be reached; the demo then runs without it.
const { Client } = require('pg');

const SERVER =
  process.env.JIT_ACCESS_DEMO_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
const DATABASE = 'jit_access_demo_payments';

async function run(database, statements) {
  const client = new Client({
    connectionString: `${SERVER}/${database}`,
    connectionTimeoutMillis: 3000,
  });
  await client.connect();
  try {
    for (const sql of statements) {
      await client.query(sql);
    }
  } finally {
    await client.end();
  }
}

async function main() {
  const admin = new Client({
    connectionString: `${SERVER}/postgres`,
    connectionTimeoutMillis: 3000,
  });
  await admin.connect();
  const exists = await admin.query(
    'SELECT 1 FROM pg_database WHERE datname = $1',
    [DATABASE],
  );
  if (exists.rowCount === 0) {
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  }
  for (const role of ['payments_readers', 'payments_writers']) {
    const found = await admin.query(
      'SELECT 1 FROM pg_roles WHERE rolname = $1',
      [role],
    );
    if (found.rowCount === 0) {
      await admin.query(`CREATE ROLE ${role} NOLOGIN`);
    }
  }
  await admin.end();
  await run(DATABASE, [
    `CREATE TABLE IF NOT EXISTS payouts (
       id serial PRIMARY KEY,
       merchant text NOT NULL,
       amount_cents integer NOT NULL,
       status text NOT NULL
     )`,
    `INSERT INTO payouts (merchant, amount_cents, status)
     SELECT * FROM (VALUES ('acme', 125000, 'failed'), ('globex', 9900, 'paid'))
       AS v(merchant, amount_cents, status)
     WHERE NOT EXISTS (SELECT 1 FROM payouts)`,
    'GRANT CONNECT ON DATABASE jit_access_demo_payments TO payments_readers, payments_writers',
    'GRANT USAGE ON SCHEMA public TO payments_readers, payments_writers',
    'GRANT SELECT ON ALL TABLES IN SCHEMA public TO payments_readers',
    'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO payments_writers',
    'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO payments_writers',
  ]);
  console.log(
    `Demo database ${DATABASE} is ready for the PostgreSQL provisioner`,
  );
}

main().catch(error => {
  console.error(`No demo PostgreSQL database (${error.message})`);
  process.exit(1);
});
