// The browser part of the install test (scripts/install-test): in a new Backstage app that
// followed docs/install.md, it goes through the guide's step 6 as two users, each in a browser
// context of their own: the requester (the guest as a new app signs it in, user:development/guest)
// finds Access in the sidebar and requests demo-database (write); then, with the guide's
// `userEntityRef` saved in the running app's app-config.yaml, an owner (the guest as the catalog's
// user:default/guest, member of guests) approves it in the inbox and marks the fulfilment task
// done; with the lines removed again, the requester sees the access active on My access and on
// the entity card (which shows a person who is not an admin their own access and what they
// requested for others, not everybody's). axe-core checks every page and dialog on the way (see
// e2e/lib/axe.js): a serious or critical violation inside the plugin fails the last check, the
// app shell's are listed. Prints one line per check; exits 1 when one failed.
//   E2E_APP_URL      the app (default http://localhost:3100)
//   E2E_BACKEND_URL  its backend (default http://localhost:7100)
//   E2E_APP_DIR      the app's folder, whose app-config.yaml step 6 edits
//   E2E_SHOTS        a folder for a screenshot of each failure
const fs = require('fs');
const path = require('path');

process.env.E2E_APP_URL ??= 'http://localhost:3100';
const BACKEND = process.env.E2E_BACKEND_URL ?? 'http://localhost:7100';
const APP_DIR = process.env.E2E_APP_DIR;
const {
  APP,
  assert,
  eventually,
  launchBrowser,
  linkingTo,
  notSee,
  requestIdIn,
  see,
} = require('./lib/harness');
const guide = require('../scripts/lib/install-test/guide');
const { AccessibilityLog } = require('./lib/axe');

const FIRST_LOAD_MS = 180_000;
const CARD = 'article[aria-label]';
const RESOURCE = 'demo-database';
const REQUESTER = 'user:development/guest';
const OWNER = 'user:default/guest';

/** Whom the backend's guest provider signs in now (it reads its config at every sign-in). */
async function guestIs() {
  const res = await fetch(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const body = await res.json();
  return body.backstageIdentity?.identity?.userEntityRef;
}

/** Saves app-config.yaml as the guide's step 6 says, and waits for the backend to reload it. */
async function guestBecomes(w, userEntityRef) {
  assert(APP_DIR, 'E2E_APP_DIR is not set');
  const file = path.join(APP_DIR, 'app-config.yaml');
  if (userEntityRef === OWNER) {
    w.configBefore = fs.readFileSync(file, 'utf8');
    guide.mergeConfig(APP_DIR, [
      guide.block(guide.readBlocks(), 'config-guest'),
    ]);
  } else {
    fs.writeFileSync(file, w.configBefore);
  }
  await eventually(
    async () => (await guestIs()) === userEntityRef,
    `the guest provider does not sign in as ${userEntityRef} after app-config.yaml changed`,
    60_000,
  );
}

/** A browser context of its own, signed in as the guest; returns its page. */
async function signIn(w, expected) {
  const context = await w.browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  w.page = page;
  await page.goto(APP, { timeout: FIRST_LOAD_MS });
  const access = page.getByRole('link', { name: 'Access', exact: true });
  const enter = page.getByRole('button', { name: /^(Enter|Sign in)$/ });
  await eventually(
    async () =>
      (await access.first().isVisible()) || (await enter.first().isVisible()),
    'neither a sign-in page nor the app appeared',
    FIRST_LOAD_MS,
  );
  if (!(await access.first().isVisible())) await enter.first().click();
  const me = page.waitForResponse(
    res => res.url().endsWith('/api/access/me') && res.status() === 200,
    { timeout: FIRST_LOAD_MS },
  );
  await (await see(access, 'Access in the sidebar', 60_000)).click();
  const caller = await (await me).json();
  assert(
    caller.userEntityRef === expected,
    `the access backend sees ${caller.userEntityRef}, not ${expected}`,
  );
  assert(
    !caller.isAdmin,
    `${expected} is an access admin, though permission.accessAdmins does not name them`,
  );
  await see(page.getByRole('tab', { name: 'My access' }), 'the access tabs');
  assert(
    (await page.getByRole('tab', { name: 'Admin' }).count()) === 0,
    `the Admin tab is shown to ${expected}`,
  );
  await w.a11y.check(page, `My access (${expected})`);
  return page;
}

async function choose(page, label, value) {
  await page
    .getByRole('button', { name: new RegExp(`^${label}`) })
    .first()
    .click();
  await page.getByRole('option', { name: value, exact: true }).click();
  await notSee(page.getByRole('listbox'), `the ${label} choices`);
}

const checks = [
  {
    name: `the requester signs in as the guest (${REQUESTER}) and finds Access in the sidebar`,
    async run(w) {
      assert(
        (await guestIs()) === REQUESTER,
        `the guest signs in as ${await guestIs()}, not ${REQUESTER}`,
      );
      w.requester = await signIn(w, REQUESTER);
    },
  },
  {
    name: `the requester requests ${RESOURCE} (write) with a justification`,
    async run(w) {
      const { page } = w;
      await page.getByRole('tab', { name: 'New request' }).click();
      const table = await see(
        page.getByRole('table', { name: 'Resources' }),
        'the resources table',
      );
      await w.a11y.check(page, 'New request, by resource');
      await choose(page, 'Permission', 'write');
      await page.getByLabel('Search resources').fill(RESOURCE);
      const box = table.getByRole('checkbox', { name: `Select ${RESOURCE}` });
      await (await see(box, `${RESOURCE} among the resources`)).check();
      await see(
        page.getByRole('status').filter({ hasText: /^1 of at most/ }),
        'one item selected',
      );
      // The development server may build the next step's code on first use: wait for it, and
      // press Next again if the first press came before the page was ready for it.
      const next = page.getByRole('button', { name: 'Next' });
      const formLocator = page.getByRole('form', {
        name: 'Additional details',
      });
      await next.click();
      await eventually(
        async () => {
          if (await formLocator.first().isVisible()) return true;
          await page.waitForTimeout(5_000);
          if (await formLocator.first().isVisible()) return true;
          if (await next.isVisible()) await next.click();
          return false;
        },
        'expected to see the additional details form',
        90_000,
      );
      const form = formLocator.first();
      await w.a11y.check(page, 'New request, additional details');
      await choose(page, 'Duration', '1 hour');
      await form
        .getByLabel('Why do you need this access?')
        .fill('Trying the access flow of the install guide');
      await form.getByRole('button', { name: 'Submit request' }).click();
      const created = page.getByRole('list', { name: 'Requests created' });
      await see(
        created.getByText(
          /Pending approval · 1 hour · flow Write access, approved by the owners/,
        ),
        'one request pending approval under write-with-approval, named by its title',
      );
      w.id = await requestIdIn(created);
      await w.a11y.check(page, 'New request, the requests created');
      await page.goto(`${APP}/access/requests`);
      await see(
        page.getByRole('row').filter({ hasText: `${RESOURCE} (write)` }),
        'the request under My requests',
      );
      await w.a11y.check(page, 'My requests');
      await page.goto(`${APP}/access/requests/${w.id}`);
      await see(
        page.getByText('Pending approval').first(),
        'the request page, pending approval',
      );
      await w.a11y.check(page, "the request's page (requester)");
    },
  },
  {
    name: `an owner (${OWNER}, after the guide's userEntityRef) signs in in a browser of their own`,
    async run(w) {
      await guestBecomes(w, OWNER);
      w.owner = await signIn(w, OWNER);
    },
  },
  {
    name: 'the owner approves it in the Approvals inbox',
    async run(w) {
      const { page } = w;
      await page.goto(`${APP}/access/approvals`);
      const card = await see(
        linkingTo(page, CARD, w.id),
        `request ${w.id} in the inbox`,
      );
      await w.a11y.check(page, 'the Approvals inbox');
      await card.getByRole('button', { name: /^Approve / }).click();
      const dialog = await see(page.getByRole('dialog'), 'the Approve dialog');
      await w.a11y.check(page, 'the Approve dialog');
      await dialog
        .getByRole('button', { name: 'Approve', exact: true })
        .click();
      await see(
        page.getByRole('status').filter({ hasText: 'Approved the request' }),
        'the approval confirmed',
      );
    },
  },
  {
    name: 'the owner marks the fulfilment task done',
    async run(w) {
      const { page } = w;
      await page.goto(`${APP}/access/approvals`);
      await page.getByRole('tab', { name: /^Fulfilment tasks/ }).click();
      const row = await eventually(
        async () => {
          const found = linkingTo(page, 'tr', w.id);
          if (await found.first().isVisible()) return found.first();
          await page.waitForTimeout(1_000);
          return undefined;
        },
        `a task for request ${w.id}`,
        60_000,
      );
      await w.a11y.check(page, 'Fulfilment tasks');
      await row.getByRole('button', { name: /^Mark done: grant / }).click();
      const dialog = await see(page.getByRole('dialog'), 'the task dialog');
      await w.a11y.check(page, 'the fulfilment task dialog');
      await dialog.getByLabel('Note (optional)').fill('granted by hand');
      await dialog.getByRole('button', { name: 'Mark granted' }).click();
      await notSee(dialog, 'the task dialog');
    },
  },
  {
    name: 'with the lines removed again, the requester sees it active on My access',
    async run(w) {
      await guestBecomes(w, REQUESTER);
      w.page = w.requester;
      const { page } = w;
      await eventually(
        async () => {
          await page.goto(`${APP}/access`);
          const card = linkingTo(page, CARD, w.id);
          await card.first().waitFor({ timeout: 10_000 });
          return card
            .first()
            .getByText('Active', { exact: true })
            .first()
            .isVisible();
        },
        `request ${w.id} is not active under Current access`,
        60_000,
      );
      await w.a11y.check(page, 'My access, the access active');
      await page.goto(`${APP}/access/requests/${w.id}`);
      await see(page.getByText('Active').first(), 'the request page, active');
      await w.a11y.check(page, "the request's page, active (requester)");
    },
  },
  {
    name: `the requester sees their access on the ${RESOURCE} entity card`,
    async run(w) {
      const { page } = w;
      await page.goto(`${APP}/catalog/default/resource/${RESOURCE}`);
      const holders = await see(
        page.getByRole('table', { name: 'Current access holders' }),
        'the access holders on the entity page',
        60_000,
      );
      await see(linkingTo(page, 'tr', w.id), 'the request among them');
      await see(holders.getByText('write', { exact: true }), 'the permission');
      await w.a11y.check(page, 'the entity card');
    },
  },
  {
    name: 'no serious or critical accessibility violation inside the plugin (axe-core)',
    async run(w) {
      for (const line of w.a11y.summary()) console.log(`     ${line}`);
      const failures = w.a11y.failures();
      assert(
        failures.length === 0,
        `${failures.length} violation(s):\n    ${failures.join('\n    ')}`,
      );
    },
  },
];

async function main() {
  const shots = process.env.E2E_SHOTS;
  const browser = await launchBrowser();
  const world = { browser, a11y: new AccessibilityLog() };
  let passed = 0;
  let failed = 0;
  for (const check of checks) {
    const started = Date.now();
    if (failed) {
      console.log(`SKIP ${check.name} (an earlier check failed)`);
      failed += 1;
      continue;
    }
    try {
      await check.run(world);
      passed += 1;
      console.log(`ok   ${check.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${check.name}: ${error.message}`);
      if (shots) {
        fs.mkdirSync(shots, { recursive: true });
        await world.page
          ?.screenshot({ path: path.join(shots, `failure-${passed + 1}.png`) })
          .catch(() => undefined);
      }
    }
  }
  if (world.configBefore) {
    // Leaves app-config.yaml as the guide's steps 1-5 made it, whatever failed.
    fs.writeFileSync(path.join(APP_DIR, 'app-config.yaml'), world.configBefore);
  }
  await browser.close();
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
