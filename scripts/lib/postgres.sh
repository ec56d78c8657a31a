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

# The PostgreSQL provisioner's tests prove that a temporary login stops working after its end or
# revocation, which needs a server that checks passwords. A local test server usually trusts
# every local connection, so this makes it check passwords for the members of one group role,
# jit_access_password_checked (the tests put their roles in it), and for nobody else: a
# scram-sha-256 line for that group ahead of the rest of pg_hba.conf. Only when the server is on
# this machine and its configuration is writable; otherwise the tests say they cannot check.
ensure_password_checked_group() {
  local url="${JIT_ACCESS_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
  PG_URL="$url" node -e '
    const fs = require("fs");
    const { Client } = require("pg");
    const LINE = "host all +jit_access_password_checked 127.0.0.1/32 scram-sha-256";
    (async () => {
      const client = new Client({ connectionString: process.env.PG_URL, connectionTimeoutMillis: 5000 });
      await client.connect();
      const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", ["jit_access_password_checked"]);
      if (exists.rowCount === 0) await client.query("CREATE ROLE jit_access_password_checked NOLOGIN");
      const hba = (await client.query("SHOW hba_file")).rows[0].hba_file;
      let text;
      try { text = fs.readFileSync(hba, "utf8"); } catch { await client.end(); return; }
      if (!text.includes(LINE)) {
        try {
          fs.writeFileSync(hba, `# Added by the access plugin test setup: password checks for its test roles.\n${LINE}\n${text}`);
        } catch { await client.end(); return; }
        await client.query("SELECT pg_reload_conf()");
        console.log("PostgreSQL now checks passwords for members of jit_access_password_checked");
      }
      await client.end();
    })().catch(e => { console.error(e.message); process.exit(1); });
  ' || echo "Could not set up password checks on the test PostgreSQL; the login-refusal tests will say so" >&2
}
