// Smoke test of the running portal. See scripts/smoke.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

// SMOKE_APP_PORT and SMOKE_BACKEND_PORT start the portal elsewhere than :3000 and :7007.
const APP_PORT = Number(process.env.SMOKE_APP_PORT || 3000);
const BACKEND_PORT = Number(process.env.SMOKE_BACKEND_PORT || 7007);
const APP = `http://localhost:${APP_PORT}`;
const BACKEND = `http://localhost:${BACKEND_PORT}`;
// The browser checks (e2e/lib/harness.js) and the MCP checks (e2e/mcp.js) read these.
process.env.E2E_APP_URL = APP;
process.env.E2E_BACKEND_URL = BACKEND;
const START_TIMEOUT_MS = 240_000;

const results = { passed: 0, failed: 0 };
const resultsFile = (() => {
  const i = process.argv.indexOf('--results');
  return i > 0 ? process.argv[i + 1] : undefined;
})();

async function check(name, fn) {
  try {
    await fn();
    results.passed += 1;
    console.log(`  ok  ${name}`);
  } catch (error) {
    results.failed += 1;
    console.log(`  FAIL ${name}: ${error.message}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function isUp(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

async function waitFor(url, deadline) {
  while (Date.now() < deadline) {
    if (await isUp(url)) return true;
    await sleep(1000);
  }
  return false;
}

async function demoToken(user) {
  const res = await fetch(`${BACKEND}/api/auth/demo/refresh?user=${user}`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  assert(res.status === 200, `demo refresh for ${user} answered ${res.status}`);
  const body = await res.json();
  assert(
    body.backstageIdentity?.token,
    'no backstageIdentity.token in the answer',
  );
  return body.backstageIdentity.token;
}

async function me(token) {
  return fetch(`${BACKEND}/api/access/me`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

// The demo catalog loads a few seconds after the backend listens; sign-in needs its Users.
async function waitForCatalogUser(user, deadline) {
  while (Date.now() < deadline) {
    const res = await fetch(`${BACKEND}/api/auth/demo/refresh?user=${user}`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    }).catch(() => undefined);
    if (res?.status === 200) return;
    await sleep(1000);
  }
}

/**
 * Signs in as dana through the demo sign-in page, as the end-to-end scenarios do: the access
 * backend must see dana, and the access page must show its tabs.
 */
async function browserSignIn() {
  const { Person, launchBrowser } = require('../../e2e/lib/harness');
  const browser = await launchBrowser();
  try {
    const dana = await new Person(browser, 'dana').signIn();
    await dana.page
      .getByRole('group', { name: 'Filter by status' })
      .waitFor({ timeout: 60_000 });
    if (process.env.SMOKE_SCREENSHOT) {
      await dana.page.screenshot({ path: process.env.SMOKE_SCREENSHOT });
    }
  } finally {
    await browser.close();
  }
}

/** A config file that moves the portal to the smoke test's ports, when they are not the usual. */
function portsConfig() {
  if (APP_PORT === 3000 && BACKEND_PORT === 7007) return undefined;
  const file = path.resolve('.test-results/ports.yaml');
  fs.writeFileSync(
    file,
    [
      `app: { baseUrl: '${APP}' }`,
      'backend:',
      `  baseUrl: '${BACKEND}'`,
      `  listen: { port: ${BACKEND_PORT} }`,
      `  cors: { origin: '${APP}' }`,
      '',
    ].join('\n'),
  );
  return file;
}

/** Polls `read` until it answers something defined, or fails after `timeoutMs`. */
async function until(read, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

/** The request dana made and lee approved, for the checks that follow it. */
let grantedRequest;

async function main() {
  fs.mkdirSync('.test-results', { recursive: true });
  for (const url of [APP, `${BACKEND}/api/access/health`]) {
    if (await isUp(url)) {
      console.error(
        `Something already answers on ${url}; stop it before the smoke test.`,
      );
      process.exit(1);
    }
  }

  // As ./scripts/start does: with the demo database when PostgreSQL answers (CI requires it).
  const demoPostgres =
    spawnSync('node', ['scripts/lib/demo-postgres.js'], { stdio: 'inherit' })
      .status === 0;
  if (!demoPostgres && process.env.CI) {
    console.error('CI needs the PostgreSQL demo database; see above.');
    process.exit(1);
  }
  // Absolute paths: `repo start` resolves relative ones against each package's directory.
  const configs = [];
  const ports = portsConfig();
  if (demoPostgres || ports) {
    configs.push('--config', path.resolve('app-config.yaml'));
  }
  if (demoPostgres) {
    configs.push('--config', path.resolve('app-config.demo-postgres.yaml'));
  }
  if (ports) configs.push('--config', ports);
  console.log('Starting the portal (yarn start)...');
  const log = fs.openSync('.test-results/portal.log', 'w');
  const portal = spawn('corepack', ['yarn', 'start', ...configs], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  const stop = () => {
    try {
      process.kill(-portal.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const started = Date.now();
    const backendUp = await waitFor(`${BACKEND}/api/access/health`, deadline);
    const appUp = await waitFor(APP, deadline);
    console.log(
      `Portal answered after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    await waitForCatalogUser('dana', Date.now() + 60_000);

    await check(`the app serves the portal on :${APP_PORT}`, async () => {
      assert(appUp, `nothing answered on :${APP_PORT}`);
      const res = await fetch(APP);
      assert(res.status === 200, `status ${res.status}`);
      assert(
        (await res.text()).includes('<div id="root">'),
        'no app root in the page',
      );
    });

    await check(
      'GET /api/access/health answers {"status":"ok"} without a token',
      async () => {
        assert(backendUp, `nothing answered on :${BACKEND_PORT}`);
        const res = await fetch(`${BACKEND}/api/access/health`);
        assert(res.status === 200, `status ${res.status}`);
        assert((await res.json()).status === 'ok', 'status is not ok');
      },
    );

    for (const [user, group] of [
      ['dana', 'group:default/payments'],
      ['lee', 'group:default/team-leads'],
    ]) {
      await check(
        `a demo token for ${user} reaches the access backend as ${user}`,
        async () => {
          const res = await me(await demoToken(user));
          assert(
            res.status === 200,
            `GET /api/access/me answered ${res.status}`,
          );
          const body = await res.json();
          assert(
            body.userEntityRef === `user:default/${user}`,
            `seen as ${body.userEntityRef}`,
          );
          assert(
            body.ownershipEntityRefs.includes(group),
            `not a member of ${group}`,
          );
        },
      );
    }

    await check(
      'dana requests payments-db, lee is notified and approves it',
      async () => {
        const dana = await demoToken('dana');
        const lee = await demoToken('lee');
        const submitted = await fetch(`${BACKEND}/api/access/requests`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${dana}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            items: [{ resourceRef: 'payments-db', permission: 'read' }],
            justification: 'Smoke test: investigate failed payouts INC-42',
          }),
        });
        assert(submitted.status === 201, `submit answered ${submitted.status}`);
        const id = (await submitted.json()).requests[0].id;

        const notifications = await fetch(
          `${BACKEND}/api/notifications/notifications`,
          {
            headers: { Authorization: `Bearer ${lee}` },
          },
        ).then(r => r.json());
        assert(
          notifications.notifications.some(
            n => n.payload.link === `/access/requests/${id}`,
          ),
          'lee got no notification for the request',
        );

        const approved = await fetch(
          `${BACKEND}/api/access/requests/${id}/approve`,
          {
            method: 'POST',
            headers: { Authorization: `Bearer ${lee}` },
          },
        );
        assert(approved.status === 200, `approve answered ${approved.status}`);
        const status = (await approved.json()).status;
        assert(
          ['granting', 'active'].includes(status),
          `the approved request is ${status}`,
        );
        grantedRequest = { id, dana };
      },
    );

    if (demoPostgres) {
      await check(
        'the PostgreSQL provisioner grants a login that reads payouts, shown once, and revokes it',
        async () => {
          const { id, dana } = grantedRequest;
          const auth = { Authorization: `Bearer ${dana}` };
          const request = await until(async () => {
            const res = await fetch(`${BACKEND}/api/access/requests/${id}`, {
              headers: auth,
            });
            const body = await res.json();
            return body.status === 'active' || body.status === 'failed'
              ? body
              : undefined;
          }, 15_000);
          assert(
            request.status === 'active',
            `the request is ${request.status}: ${request.statusReason}`,
          );
          const grantId = request.items[0].id;
          const revealed = await fetch(
            `${BACKEND}/api/access/grants/${grantId}/credentials/reveal`,
            { method: 'POST', headers: auth },
          );
          assert(revealed.status === 200, `reveal answered ${revealed.status}`);
          const { credentials } = await revealed.json();
          const again = await fetch(
            `${BACKEND}/api/access/grants/${grantId}/credentials/reveal`,
            { method: 'POST', headers: auth },
          );
          assert(
            again.status === 409,
            `a second reveal answered ${again.status}`,
          );

          const { Client } = require('pg');
          const login = new Client({
            host: credentials.host,
            port: Number(credentials.port),
            database: credentials.database,
            user: credentials.user,
            password: credentials.password,
          });
          await login.connect();
          const rows = await login.query('SELECT count(*) FROM payouts');
          assert(Number(rows.rows[0].count) > 0, 'no payouts visible');
          const write = await login
            .query(
              "INSERT INTO payouts (merchant, amount_cents, status) VALUES ('x', 1, 'x')",
            )
            .then(
              () => 'written',
              e => e.message,
            );
          assert(write !== 'written', 'the read-only login could write');
          await login.end();

          await fetch(`${BACKEND}/api/access/requests/${id}/revoke`, {
            method: 'POST',
            headers: { ...auth, 'Content-Type': 'application/json' },
            body: JSON.stringify({ reason: 'Smoke test done' }),
          });
          await until(async () => {
            const res = await fetch(`${BACKEND}/api/access/requests/${id}`, {
              headers: auth,
            });
            return (await res.json()).status === 'revoked' || undefined;
          }, 15_000);
          const admin = new Client({
            connectionString:
              'postgresql://postgres@127.0.0.1:5432/jit_access_demo_payments',
          });
          await admin.connect();
          const role = await admin.query(
            'SELECT 1 FROM pg_roles WHERE rolname = $1',
            [credentials.user],
          );
          await admin.end();
          assert(role.rowCount === 0, 'the login role is still there');
        },
      );
    }

    await check(
      'the access backend refuses a call without a token',
      async () => {
        const res = await me(undefined);
        assert(res.status === 401, `status ${res.status}`);
      },
    );

    await check('the demo provider refuses an unknown user', async () => {
      const res = await fetch(`${BACKEND}/api/auth/demo/refresh?user=nobody`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      assert(res.status === 404, `status ${res.status}`);
    });

    if (process.env.SKIP_BROWSER) {
      console.log('  (browser check skipped: SKIP_BROWSER is set)');
    } else {
      await check(
        'in the browser, signing in as dana shows the access page as dana',
        browserSignIn,
      );
    }

    // The end-to-end scenarios (e2e/), one check each. They grant payments-db for real, so they
    // need the PostgreSQL demo database, as the provisioner check above does.
    if (process.env.SKIP_BROWSER) {
      console.log('  (end-to-end scenarios skipped: SKIP_BROWSER is set)');
    } else if (!demoPostgres) {
      console.log(
        '  (end-to-end scenarios skipped: no PostgreSQL demo database)',
      );
    } else {
      const { runE2E } = require('../../e2e/run');
      const e2e = await runE2E({
        screenshots: process.env.E2E_SCREENSHOTS ?? '.test-results/screenshots',
        report: (name, error, seconds) =>
          check(`e2e: ${name} (${seconds?.toFixed(0) ?? 0} s)`, async () => {
            if (error) throw error;
          }),
      });
      console.log(`  (end-to-end scenarios took ${e2e.seconds.toFixed(0)} s)`);
    }

    // An AI assistant's requests, through MCP as the signed-in user (e2e/mcp.js). After the
    // browser scenarios, whose screenshots should not show these requests.
    const { runMcpChecks } = require('../../e2e/mcp');
    await runMcpChecks({
      check,
      backend: BACKEND,
      granting: demoPostgres,
      browser: !process.env.SKIP_BROWSER,
    });
  } finally {
    stop();
  }

  console.log(`smoke: ${results.passed} passed, ${results.failed} failed`);
  if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results));
  process.exit(results.failed > 0 ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
