// What the end-to-end scenarios share: the browser, one signed-in person per browser context,
// waiting for what a person would see, and screenshots of the pages.
const fs = require('fs');
const path = require('path');

const APP = process.env.E2E_APP_URL || 'http://localhost:3000';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** How long a person waits for something to appear on a page. */
const WAIT_MS = Number(process.env.E2E_WAIT_MS || 20_000);
/** The first load of the development bundle can take a while. */
const FIRST_LOAD_MS = 120_000;
/** Screenshots grow to show a whole page, up to this many pixels high. */
const MAX_SCREENSHOT_HEIGHT = 2400;

class E2EError extends Error {}

function assert(condition, message) {
  if (!condition) throw new E2EError(message);
}

/** Polls `read` until it answers something truthy; fails with `message` after `timeoutMs`. */
async function eventually(read, message, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await read();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new E2EError(`${message}${last ? ` (${last.message})` : ''}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

/** Waits until `locator` is visible; fails saying what was expected. */
async function see(locator, what, timeoutMs = WAIT_MS) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    throw new E2EError(`expected to see ${what}`);
  }
  return locator.first();
}

/** Waits until `locator` is gone (or was never there). */
async function notSee(locator, what, timeoutMs = WAIT_MS) {
  try {
    await locator.first().waitFor({ state: 'hidden', timeout: timeoutMs });
  } catch {
    throw new E2EError(`expected ${what} to be gone`);
  }
}

function launchOptions() {
  assert(
    fs.existsSync(CHROMIUM),
    `no Chromium at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH)`,
  );
  const args = [
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return { executablePath: CHROMIUM, headless: true, args };
}

async function launchBrowser() {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    throw new E2EError('playwright-core is not installed');
  }
  return chromium.launch(launchOptions());
}

/**
 * One person of the demo in a browser context of their own: signs in through the demo sign-in
 * page and checks that the access backend sees them as themselves.
 */
class Person {
  constructor(browser, name) {
    this.browser = browser;
    this.name = name;
    this.ref = `user:default/${name}`;
  }

  async signIn() {
    this.context = await this.browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    this.context.setDefaultTimeout(WAIT_MS);
    this.page = await this.context.newPage();
    await this.page.goto(`${APP}/access`, { timeout: FIRST_LOAD_MS });
    const me = this.page.waitForResponse(
      res => res.url().endsWith('/api/access/me') && res.status() === 200,
      { timeout: FIRST_LOAD_MS },
    );
    await this.page
      .getByRole('button', { name: `Sign in as ${this.name}` })
      .click({ timeout: FIRST_LOAD_MS });
    const caller = await (await me).json();
    assert(
      caller.userEntityRef === this.ref,
      `signed in as ${this.name} but the access backend sees ${caller.userEntityRef}`,
    );
    await see(
      this.page.getByRole('tab', { name: 'My access' }),
      'the access tabs',
    );
    return this;
  }

  /** Opens a page of the portal, e.g. `/access/approvals`. */
  async open(pathname) {
    await this.page.goto(`${APP}${pathname}`, { timeout: FIRST_LOAD_MS });
    return this.page;
  }

  async close() {
    await this.context?.close().catch(() => undefined);
  }
}

/**
 * Saves a screenshot of the whole page as `<dir>/<name>.png` once the page has settled, when a
 * screenshot directory is set.
 */
async function screenshot(page, name, dir) {
  if (!dir) return;
  await page
    .waitForLoadState('networkidle', { timeout: 5_000 })
    .catch(() => undefined);
  // Let transitions (dialogs, ripples) finish.
  await page.waitForTimeout(400);
  fs.mkdirSync(dir, { recursive: true });
  // Backstage scrolls inside its page, not the document: grow the window to the content.
  const viewport = page.viewportSize();
  const height = await page.evaluate(() =>
    Math.max(
      ...Array.from(document.querySelectorAll('main, main *'))
        .filter(e => getComputedStyle(e).overflowY !== 'visible')
        .map(e => e.scrollHeight - e.clientHeight),
      0,
    ),
  );
  const grown = Math.min(viewport.height + height, MAX_SCREENSHOT_HEIGHT);
  if (grown > viewport.height) {
    await page.setViewportSize({ width: viewport.width, height: grown });
    await page.waitForTimeout(200);
  }
  try {
    await page.screenshot({
      path: path.join(dir, `${name}.png`),
      animations: 'disabled',
      caret: 'hide',
    });
  } finally {
    if (grown > viewport.height) await page.setViewportSize(viewport);
  }
}

/** The request id of the first link to a request page inside `locator`. */
async function requestIdIn(locator) {
  const href = await locator
    .locator('a[href*="/access/requests/"]')
    .first()
    .getAttribute('href');
  const id = href?.split('/access/requests/')[1]?.split(/[?#]/)[0];
  assert(id, 'found no link to a request page');
  return id;
}

/** The element among `candidates` that links to the page of request `id`. */
function linkingTo(page, candidates, id) {
  return page
    .locator(candidates)
    .filter({ has: page.locator(`a[href$="/access/requests/${id}"]`) });
}

module.exports = {
  APP,
  E2EError,
  Person,
  assert,
  eventually,
  launchBrowser,
  linkingTo,
  notSee,
  requestIdIn,
  screenshot,
  see,
};
