# Sourced by scripts/test: points Backstage's TestDatabases at a PostgreSQL server.
# JIT_ACCESS_TEST_POSTGRES_URL overrides the default server (127.0.0.1:5432, user postgres).
# Sets BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING, the variable TestDatabases reads.
# Returns non-zero when the server cannot be reached.
setup_test_postgres() {
  local url="${JIT_ACCESS_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
  local major
  major=$(PG_URL="$url" node -e '
    const { Client } = require("pg");
    const client = new Client({ connectionString: process.env.PG_URL, connectionTimeoutMillis: 5000 });
    client.connect()
      .then(() => client.query("SHOW server_version_num"))
      .then(r => { console.log(Math.floor(Number(r.rows[0].server_version_num) / 10000)); return client.end(); })
      .catch(e => { console.error(e.message); process.exit(1); });
  ' 2>&1) || { echo "PostgreSQL is not reachable at ${url%%@*}@…: $major" >&2; return 1; }
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=$url"
  echo "PostgreSQL ${major} at ${url##*@} will be tested beside SQLite"
}
