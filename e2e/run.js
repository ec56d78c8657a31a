#!/usr/bin/env node
// Runs the end-to-end scenarios (e2e/scenarios.js) in headless Chromium against a running demo
// portal: one browser context per person, signed in through the demo sign-in page.
//
//   node e2e/run.js [--only <id>,<id>] [--screenshots <dir>] [--results <file>]
//
// Screenshots go to docs/images unless --screenshots says otherwise (`--screenshots ''` for
// none). Exits 1 when a scenario failed. scripts/lib/smoke.js calls runE2E directly.
const fs = require('fs');
const path = require('path');
const {
  E2EError,
  Person,
  launchBrowser,
  screenshot,
} = require('./lib/harness');
const { AccessibilityLog } = require('./lib/axe');
const { scenarios } = require('./scenarios');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_SCREENSHOTS = path.join(ROOT, 'docs', 'images');
/** Where the pages of every person go when a scenario fails, to see what they saw. */
const DEFAULT_FAILURES = path.join(ROOT, '.test-results', 'e2e-failures');

/**
 * Runs the scenarios in order and reports each through `report(name, error?)`. Answers
 * `{ passed, failed, seconds }`.
 */
async function runE2E(options = {}) {
  const {
    only,
    screenshots = DEFAULT_SCREENSHOTS,
    failures = DEFAULT_FAILURES,
    report = defaultReport,
  } = options;
  const started = Date.now();
  const chosen = only?.length
    ? scenarios.filter(s => only.includes(s.id))
    : scenarios;
  const results = { passed: 0, failed: 0 };
  const outcome = {};

  let browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    for (const scenario of chosen) {
      results.failed += 1;
      await report(scenario.name, error);
    }
    return { ...results, seconds: (Date.now() - started) / 1000 };
  }

  const people = new Map();
  const accessibility = new AccessibilityLog();
  const world = {
    state: {},
    /** Runs the accessibility checks on the page as it is now; see e2e/lib/axe.js. */
    async checkAccessibility(page, where) {
      await accessibility.check(page, where);
    },
    /** The person signed in as `name`, in their own browser context. */
    async as(name) {
      if (!people.has(name)) {
        const person = new Person(browser, name);
        const signedIn = person.signIn().catch(async error => {
          // Try again in the next scenario that needs this person.
          people.delete(name);
          await person.close();
          throw error;
        });
        people.set(name, signedIn);
      }
      return people.get(name);
    },
    async screenshot(page, name) {
      await screenshot(page, name, screenshots);
    },
  };

  try {
    for (const scenario of chosen) {
      const missing = (scenario.needs ?? []).filter(
        id => outcome[id] !== true && chosen.some(s => s.id === id),
      );
      let error;
      const begun = Date.now();
      if (missing.length) {
        error = new E2EError(`not run: ${missing.join(', ')} failed`);
      } else {
        try {
          await scenario.run(world);
        } catch (e) {
          error = e;
          await keepPages(people, scenario.id, failures);
        }
      }
      outcome[scenario.id] = !error;
      results[error ? 'failed' : 'passed'] += 1;
      await report(scenario.name, error, (Date.now() - begun) / 1000);
    }
    if (accessibility.checked.length > 0) {
      // The plugin's serious and critical violations fail the run; the app shell's are listed.
      const failures = accessibility.failures();
      results[failures.length ? 'failed' : 'passed'] += 1;
      await report(
        `no serious or critical accessibility violation in the plugin on ${accessibility.checked.length} page states`,
        failures.length
          ? new E2EError(
              `${failures.length} violation(s):\n    ${failures.join(
                '\n    ',
              )}`,
            )
          : undefined,
      );
      for (const line of accessibility.summary()) console.log(line);
    }
  } finally {
    for (const person of people.values()) {
      await person.then(p => p.close()).catch(() => undefined);
    }
    await browser.close().catch(() => undefined);
  }
  return { ...results, seconds: (Date.now() - started) / 1000 };
}

/** Screenshots of what each person sees now, as `<dir>/<scenario>-<person>.png`. */
async function keepPages(people, scenarioId, dir) {
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, signedIn] of people) {
    const person = await signedIn.catch(() => undefined);
    await person?.page
      ?.screenshot({ path: path.join(dir, `${scenarioId}-${name}.png`) })
      .catch(() => undefined);
  }
}

function defaultReport(name, error, seconds) {
  const took = seconds === undefined ? '' : ` (${seconds.toFixed(0)} s)`;
  if (error) {
    // An unexpected error (not a failed expectation) keeps its stack for the log.
    const detail =
      error instanceof E2EError ? error.message : error.stack ?? error;
    console.log(`  FAIL ${name}${took}: ${detail}`);
  } else {
    console.log(`  ok  ${name}${took}`);
  }
}

function argument(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const only = argument('--only')?.split(',').filter(Boolean);
  const dir = argument('--screenshots');
  const resultsFile = argument('--results');
  const screenshots =
    dir === undefined ? DEFAULT_SCREENSHOTS : dir && path.resolve(dir);
  console.log('End-to-end scenarios in Chromium:');
  const results = await runE2E({ only, screenshots });
  console.log(
    `e2e: ${results.passed} passed, ${
      results.failed
    } failed (${results.seconds.toFixed(0)} s)`,
  );
  if (resultsFile) {
    fs.writeFileSync(
      resultsFile,
      JSON.stringify({ passed: results.passed, failed: results.failed }),
    );
  }
  process.exit(results.failed > 0 ? 1 : 0);
}

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { runE2E, scenarios };
