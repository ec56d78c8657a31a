#!/usr/bin/env node
// Draws the PNG previews of the Slack messages in docs/chat.md from the Slack module's real
// Block Kit: the functions of plugins/access-backend-module-slack/src/blocks.ts, run on view
// models shaped as the access plugin builds them (src/chat/chatViews.ts), rendered to HTML
// (scripts/lib/block-kit-html.js) and screenshotted with playwright-core and Debian's Chromium.
//
//   node scripts/slack-previews.js
//
// The TypeScript is loaded through Backstage's node transform (@backstage/cli), the one
// `backstage-cli package start` runs backends with, so nothing needs to be built first.
// Chromium: /usr/bin/chromium, or CHROMIUM_PATH.
require('@backstage/cli/config/nodeTransform.cjs');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const {
  approvalBlocks,
  requesterUpdateBlocks,
} = require('../plugins/access-backend-module-slack/src/blocks.ts');
const { messageHtml } = require('./lib/block-kit-html');

const IMAGES = path.join(__dirname, '..', 'docs', 'images');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const APP_NAME = 'Backstage Access'; // the Slack app manifest's display name
const PORTAL = 'https://backstage.example.com/access';

const person = (name, displayName) => ({
  entityRef: `user:default/${name}`,
  displayName,
});
const paymentsDb = {
  resourceRef: 'resource:default/payments-db',
  resourceTitle: 'Payments DB',
  permission: 'read',
};

/** Stage 1 of 2 of "Sensitive data", waiting for its reader. */
const pending = {
  requestId: 'req-7f3a',
  requester: person('dana', 'Dana Diaz'),
  items: [paymentsDb],
  duration: 'PT8H',
  durationText: '8 hours',
  justification: 'Investigating INC-1234: failed settlements since 09:10',
  ticket: { type: 'jira', id: 'INC-1234' },
  flow: { id: 'sensitive-data', title: 'Sensitive data' },
  stage: { number: 1, count: 2 },
  timesOutAt: '2026-12-06T10:00:00.000Z',
  link: `${PORTAL}/requests/req-7f3a`,
  reasonRequired: { approve: false, reject: true },
};

/** The same message once Lee Park approved stage 1 in Slack. */
const decided = {
  ...pending,
  outcome: {
    kind: 'stage-approved',
    status: 'pending_approval',
    decidedBy: person('lee', 'Lee Park'),
    decidedVia: 'slack',
    decidedAt: '2026-12-05T09:32:00.000Z',
    reason: 'Matches the incident',
    summary: 'Stage approved by Lee Park in Slack: Matches the incident',
  },
};

/** What Dana hears 15 minutes before her access ends. */
const expiring = {
  requestId: 'req-7f3a',
  kind: 'expiring-soon',
  status: 'active',
  items: [paymentsDb],
  summary: 'Your access request for Payments DB (read) ends soon.',
  expiresAt: '2026-12-05T17:32:00.000Z',
  link: `${PORTAL}/requests/req-7f3a`,
  action: {
    kind: 'extend',
    label: 'Extend',
    url: `${PORTAL}/requests/req-7f3a`,
  },
};

const PREVIEWS = [
  {
    file: 'slack-approval-pending.png',
    blocks: approvalBlocks(pending),
    postedAt: '2026-12-05T09:15:00Z',
    now: '2026-12-05T09:20:00Z',
  },
  {
    file: 'slack-approval-decided.png',
    blocks: approvalBlocks(decided),
    postedAt: '2026-12-05T09:15:00Z',
    now: '2026-12-05T09:40:00Z',
  },
  {
    file: 'slack-requester-expiring.png',
    blocks: requesterUpdateBlocks(expiring),
    postedAt: '2026-12-05T17:17:00Z',
    now: '2026-12-05T17:20:00Z',
  },
];

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH)`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--disable-gpu',
      '--disable-dev-shm-usage',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 560, height: 200 },
    });
    for (const preview of PREVIEWS) {
      const html = messageHtml({
        appName: APP_NAME,
        postedAt: preview.postedAt,
        blocks: preview.blocks,
        now: new Date(preview.now),
      });
      await page.setContent(html);
      const file = path.join(IMAGES, preview.file);
      await page.locator('.message').screenshot({ path: file });
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  console.error(error.message);
  process.exit(1);
});
