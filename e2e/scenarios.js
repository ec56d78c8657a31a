// The end-to-end scenarios, in the order they run. Each is one check; a scenario that builds on
// an earlier one (the same request) fails at once when that one failed.
const {
  assert,
  eventually,
  linkingTo,
  notSee,
  requestIdIn,
  see,
} = require('./lib/harness');
const {
  CARD,
  DISPLAY_NAMES,
  choose,
  inboxCard,
  requestPageWithStatus,
} = require('./lib/pages');
const { emptyPagesScenario, keyboardScenarios } = require('./accessibility');

/** Fills the details step with a duration and a justification, and submits. */
async function submitDetails(world, page, { duration, justification, shot }) {
  const form = await see(
    page.getByRole('form', { name: 'Additional details' }),
    'the additional details form',
  );
  await choose(page, 'Duration', duration);
  await form.getByLabel('Why do you need this access?').fill(justification);
  if (shot) await world.screenshot(page, shot);
  await world.checkAccessibility(page, 'New request, details');
  await form.getByRole('button', { name: 'Submit request' }).click();
  await see(
    page.getByRole('status').filter({ hasText: /^Submitted: / }),
    'the submission confirmed',
  );
  await world.checkAccessibility(page, 'New request, submitted');
  return page.getByRole('list', { name: 'Requests created' });
}

/** Selects resources on the "By resource" tab: search, optionally a permission filter. */
async function selectResource(page, { search, title, permission }) {
  const table = await see(
    page.getByRole('table', { name: 'Resources' }),
    'the resources table',
  );
  if (permission) await choose(page, 'Permission', permission);
  await page.getByLabel('Search resources').fill(search);
  const box = table.getByRole('checkbox', { name: `Select ${title}` });
  await see(box, `${title} among the resources found for “${search}”`);
  await box.check();
  await see(
    page.getByRole('status').filter({ hasText: /^1 of at most/ }),
    'one item selected',
  );
}

/**
 * Approves or rejects request `id` from the inbox. `required` says whether the dialog must ask
 * for a reason; when it must, confirming without one is tried first and must be refused.
 */
async function decide(world, person, id, decision, { reason, required, shot }) {
  const card = await inboxCard(person, id);
  const { page } = person;
  if (shot) await world.screenshot(page, shot);
  await world.checkAccessibility(page, `Approvals, pending (${person.name})`);
  const verb = decision === 'approve' ? 'Approve' : 'Reject';
  await card.getByRole('button', { name: new RegExp(`^${verb} `) }).click();
  const dialog = await see(page.getByRole('dialog'), `the ${verb} dialog`);
  await see(
    dialog.getByLabel(required ? /Reason \(required\)/ : 'Reason (optional)'),
    required ? 'a required reason' : 'an optional reason',
  );
  await world.checkAccessibility(page, `the ${verb} dialog (${person.name})`);
  if (required) {
    await dialog.getByRole('button', { name: verb, exact: true }).click();
    await see(
      dialog.getByText('A reason is required for this decision'),
      'the reason asked for before deciding',
    );
    await world.checkAccessibility(
      page,
      `the ${verb} dialog asking for a reason (${person.name})`,
    );
  }
  if (reason) await dialog.getByRole('textbox').fill(reason);
  await dialog.getByRole('button', { name: verb, exact: true }).click();
  await see(
    page.getByRole('status').filter({
      hasText: `${verb === 'Approve' ? 'Approved' : 'Rejected'} the request`,
    }),
    `the ${decision} confirmed`,
  );
  await notSee(linkingTo(page, CARD, id), `request ${id} in the inbox`);
}

/** Completes the open fulfilment task of request `id` as an owner of its resource. */
async function completeTask(world, person, id, { note, shot }) {
  const page = await person.open('/access/approvals');
  await page.getByRole('tab', { name: /^Fulfilment tasks/ }).click();
  await see(
    page.getByRole('table', { name: 'Tasks to do' }),
    `the tasks of ${person.name}`,
  );
  const row = await see(
    linkingTo(page, 'tr', id),
    `a task for request ${id} among the tasks of ${person.name}`,
  );
  if (shot) await world.screenshot(page, shot);
  await world.checkAccessibility(
    page,
    `Approvals, fulfilment tasks (${person.name})`,
  );
  await row.getByRole('button', { name: /^Mark done: grant / }).click();
  const dialog = await see(page.getByRole('dialog'), 'the task dialog');
  await dialog.getByLabel('Note (optional)').fill(note);
  await world.checkAccessibility(page, `the task dialog (${person.name})`);
  await dialog.getByRole('button', { name: 'Mark granted' }).click();
  await notSee(dialog, 'the task dialog');
  await notSee(
    linkingTo(page, 'tr', id),
    'the completed task among those to do',
  );
  await page.getByRole('button', { name: 'Done' }).click();
  await see(
    linkingTo(page, 'tr', id).getByText(
      new RegExp(`by ${DISPLAY_NAMES[person.name]} — ${escapeRegExp(note)}$`),
    ),
    'the completed task with its note under Done',
  );
  await world.checkAccessibility(
    page,
    `Approvals, completed tasks (${person.name})`,
  );
}

/** The row of request `id` in a requests list, found through the list's search. */
async function listedRequest(page, id) {
  const search = await see(
    page.getByLabel('Search requests'),
    'the requests search',
  );
  await search.fill(id);
  const rows = page.getByRole('row', { name: /^Open request / });
  await eventually(
    async () => (await rows.count()) === 1,
    `request ${id} is not the one row found by its id`,
  );
  return rows.first();
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The countdown of an active request, in minutes left. */
async function minutesLeft(scope) {
  const text = await scope
    .locator('[aria-label^="Ends "]')
    .first()
    .innerText({ timeout: 10_000 });
  const days = /(\d+)d/.exec(text)?.[1] ?? 0;
  const hours = /(\d+)h/.exec(text)?.[1] ?? 0;
  const minutes = /(\d+)m/.exec(text)?.[1] ?? 0;
  return Number(days) * 1440 + Number(hours) * 60 + Number(minutes);
}

/** The example app's flows of the Payments on-call bundle, by title (app-config.yaml). */
const DB_FLOW = 'Database access, approved by the owners';
const TEAM_FLOW = 'Team resources, approved by the owners';

const scenarios = [
  emptyPagesScenario,
  {
    id: 'by-resource',
    name: 'dana requests payments-db (read) by resource; lee, the team lead, approves it in the inbox',
    async run(world) {
      const dana = await world.as('dana');
      const page = await dana.open('/access');
      await see(
        page.getByRole('group', { name: 'Filter by status' }),
        'the status counts',
      );

      await page.getByRole('tab', { name: 'New request' }).click();
      await selectResource(page, {
        search: 'payments',
        title: 'Payments PostgreSQL database',
      });
      await world.screenshot(page, 'new-request-by-resource');
      await world.checkAccessibility(page, 'New request, by resource (dana)');
      await page.getByRole('button', { name: 'Next' }).click();
      const created = await submitDetails(world, page, {
        duration: '1 hour',
        justification: 'Investigate failed payouts INC-42 in the ledger tables',
        shot: 'new-request-details',
      });
      await see(
        created.getByText(
          /Pending approval · 1 hour · flow Database access, approved by the owners/,
        ),
        'one request pending approval under the owners-approval flow, named by its title',
      );
      const id = await requestIdIn(created);
      world.state.dbRequest = id;

      const lee = await world.as('lee');
      await decide(world, lee, id, 'approve', {
        required: false,
        shot: 'approvals-pending',
      });
      const request = await requestPageWithStatus(dana, id, 'Active');
      await world.checkAccessibility(request, 'a request page (dana)');
    },
  },
  {
    id: 'credentials-once',
    needs: ['by-resource'],
    name: 'dana sees payments-db active on My access and opens its access details once',
    async run(world) {
      const id = world.state.dbRequest;
      const dana = await world.as('dana');
      const page = await dana.open('/access');
      const card = await see(
        linkingTo(page, CARD, id),
        `request ${id} under Current access`,
      );
      await see(card.getByText('Active', { exact: true }), 'the Active chip');
      const active = await page
        .getByRole('button', { name: / Active$/ })
        .innerText();
      assert(!/^0\b/.test(active), `the Active count says ${active}`);
      await world.screenshot(page, 'my-access');
      await world.checkAccessibility(page, 'My access, with access (dana)');

      const details = card.getByRole('button', {
        name: 'Access details for Payments PostgreSQL database (read)',
      });
      await details.click();
      let dialog = await see(page.getByRole('dialog'), 'the access details');
      await see(
        dialog.getByText(/can be shown once/),
        'the shown-once warning',
      );
      await world.checkAccessibility(page, 'the access details dialog (dana)');
      await dialog.getByRole('button', { name: 'Show credentials' }).click();
      const credentials = await see(
        dialog.getByRole('table', { name: 'Credentials' }),
        'the credentials',
      );
      const text = await credentials.innerText();
      for (const field of ['host', 'user', 'password']) {
        assert(text.includes(field), `the credentials have no ${field}`);
      }
      await world.screenshot(page, 'access-details');
      await world.checkAccessibility(
        page,
        'the access details dialog, credentials shown once (dana)',
      );
      await dialog.getByRole('button', { name: 'Close' }).click();
      await notSee(dialog, 'the access details');

      await details.click();
      dialog = await see(page.getByRole('dialog'), 'the access details again');
      await see(
        dialog.getByText(
          'The credentials were already shown. Reset them to get new ones.',
        ),
        'that the credentials were already shown',
      );
      assert(
        (await dialog
          .getByRole('button', { name: 'Show credentials' })
          .count()) === 0,
        'the credentials are offered a second time',
      );
      await see(
        dialog.getByRole('button', { name: 'Reset credentials…' }),
        'the reset offered instead',
      );
      await dialog.getByRole('button', { name: 'Close' }).click();
    },
  },
  {
    id: 'entity-card',
    needs: ['by-resource'],
    name: "the payments-db entity page's access card lists dana's access and starts a request for it",
    async run(world) {
      const dana = await world.as('dana');
      const page = await dana.open('/catalog/default/resource/payments-db');
      const holders = await see(
        page.getByRole('table', { name: 'Current access holders' }),
        'the access holders on the entity page',
        60_000,
      );
      await see(
        linkingTo(page, 'tr', world.state.dbRequest),
        "dana's payments-db access among the holders",
      );
      await see(
        holders.getByText('read', { exact: true }),
        'the read permission',
      );
      await world.screenshot(page, 'entity-access-card');
      await world.checkAccessibility(
        page,
        'the entity page with the access card (dana)',
      );
      await page.locator('a', { hasText: 'Request access' }).click();
      await see(
        page.getByRole('status').filter({ hasText: /^1 of at most/ }),
        'payments-db preselected on New request',
      );
      await see(
        page.getByRole('checkbox', {
          name: 'Select Payments PostgreSQL database',
        }),
        'the payments-db row',
      );
      assert(
        await page
          .getByRole('checkbox', {
            name: 'Select Payments PostgreSQL database',
          })
          .isChecked(),
        'payments-db is not ticked',
      );
    },
  },
  {
    id: 'extend-revoke',
    needs: ['by-resource'],
    name: 'dana extends payments-db (lee approves the extension) and then revokes it',
    async run(world) {
      const id = world.state.dbRequest;
      const dana = await world.as('dana');
      let page = await dana.open('/access');
      let card = await see(linkingTo(page, CARD, id), `request ${id}`);
      const before = await minutesLeft(card);
      assert(before <= 60, `a one-hour request has ${before} minutes left`);
      await card.getByRole('button', { name: 'Extend' }).click();
      const dialog = await see(page.getByRole('dialog'), 'the Extend dialog');
      await see(
        dialog.getByText(/This extension needs approval/),
        'that the extension needs approval',
      );
      await dialog.getByRole('button', { name: /^Extend by/ }).click();
      const offered = await page.getByRole('option').allInnerTexts();
      assert(
        offered.join(', ') === '1 hour, 4 hours, 8 hours',
        `the Extend dialog offers ${offered.join(
          ', ',
        )} instead of the flow's durations`,
      );
      await page.getByRole('option', { name: '1 hour', exact: true }).click();
      await dialog
        .getByLabel('Why do you need more time?')
        .fill('The payout replay runs late; one more hour to check it');
      await world.screenshot(page, 'extend-dialog');
      await world.checkAccessibility(page, 'the Extend dialog (dana)');
      await dialog.getByRole('button', { name: 'Extend', exact: true }).click();
      const link = await see(
        dialog.getByRole('link', { name: 'See the extension request' }),
        'the link to the extension request',
      );
      const extension = (await link.getAttribute('href')).split('/').pop();
      assert(extension !== id, 'the extension is the same request');
      await dialog.getByRole('button', { name: 'Close' }).click();

      const lee = await world.as('lee');
      const extCard = await inboxCard(lee, extension);
      await see(
        extCard.getByText(id, { exact: true }),
        'which request the extension extends',
      );
      await decide(world, lee, extension, 'approve', { required: false });

      // Approved, the extension is granted at once and runs to the new end.
      page = await requestPageWithStatus(dana, extension, 'Active');
      await see(
        page.getByRole('link', { name: 'an active request' }),
        'the link to the extended request',
      );
      const after = await minutesLeft(page);
      assert(
        after >= before + 55,
        `the access ends in ${after} minutes after a one-hour extension (${before} before)`,
      );
      page = await requestPageWithStatus(dana, id, 'Active');
      await see(
        page.getByText('1 of 1 used (each needs approval)'),
        'the extension counted',
      );

      // Revoking ends both: the original and the extension that carries the access on.
      page = await dana.open('/access');
      for (const which of [extension, id]) {
        card = await see(
          linkingTo(page, CARD, which),
          `request ${which} under Current access`,
        );
        await card.getByRole('button', { name: 'Revoke' }).click();
        const revoke = await see(page.getByRole('dialog'), 'the Revoke dialog');
        await revoke
          .getByLabel('Reason (optional)')
          .fill('Payout replay checked');
        await world.checkAccessibility(page, 'the Revoke dialog (dana)');
        await revoke
          .getByRole('button', { name: 'Revoke', exact: true })
          .click();
        await notSee(revoke, 'the Revoke dialog');
        await notSee(
          linkingTo(page, CARD, which),
          'the revoked access under Current access',
        );
      }
      await requestPageWithStatus(dana, id, 'Revoked');
      await requestPageWithStatus(dana, extension, 'Revoked');
    },
  },
  {
    id: 'by-bundle',
    name: 'dana requests the Payments on-call bundle: one request per flow; lee and alex approve, alex completes the fulfilment task',
    async run(world) {
      const dana = await world.as('dana');
      const page = await dana.open('/access/new');
      await page.getByRole('tab', { name: 'By bundle' }).click();
      const bundle = await see(
        page.getByRole('article', { name: 'Payments on-call' }),
        'the Payments on-call bundle',
      );
      await bundle.getByRole('button', { name: 'Choose resources' }).click();
      await see(
        bundle.getByRole('checkbox', {
          name: 'Staging Kubernetes cluster (edit)',
        }),
        'the bundle’s resources',
      );
      await bundle.getByRole('button', { name: 'Select bundle' }).click();
      await see(
        bundle.getByRole('button', { name: 'Whole bundle selected' }),
        'the whole bundle selected',
      );
      await world.screenshot(page, 'new-request-by-bundle');
      await world.checkAccessibility(page, 'New request, by bundle (dana)');
      await page.getByRole('button', { name: 'Next' }).click();
      await see(
        page.getByText('Bundle “Payments on-call”: 2 resource permissions'),
        'the bundle in the details',
      );
      const created = await submitDetails(world, page, {
        duration: '8 hours',
        justification:
          'On call for payments this week; INC-77 needs the staging cluster',
      });
      await see(
        page.getByText('Submitted: 2 requests created, one per access flow.'),
        'two requests, one per flow',
      );
      const items = created.getByRole('listitem');
      const ids = {};
      for (const item of await items.all()) {
        const text = await item.innerText();
        // Each request names its flow by the flow's title.
        const flow = /flow (.+)/.exec(text)?.[1]?.trim();
        ids[flow] = await requestIdIn(item);
      }
      assert(
        ids[DB_FLOW] && ids[TEAM_FLOW],
        `expected requests under "${DB_FLOW}" and "${TEAM_FLOW}", got ${Object.keys(
          ids,
        ).join(', ')}`,
      );

      const lee = await world.as('lee');
      await decide(world, lee, ids[DB_FLOW], 'approve', {
        required: false,
      });
      const alex = await world.as('alex');
      await decide(world, alex, ids[TEAM_FLOW], 'approve', {
        required: false,
      });
      await completeTask(world, alex, ids[TEAM_FLOW], {
        note: 'Added dana to the staging editors',
        shot: 'fulfilment-tasks',
      });

      await requestPageWithStatus(dana, ids[DB_FLOW], 'Active');
      await requestPageWithStatus(dana, ids[TEAM_FLOW], 'Active');
      const list = await dana.open('/access/requests');
      for (const id of Object.values(ids)) {
        const row = await listedRequest(list, id);
        await see(
          row.getByText('Active', { exact: true }),
          `request ${id} active in My requests`,
        );
      }
      await list.getByLabel('Search requests').fill('');
      await world.screenshot(list, 'my-requests');
      await world.checkAccessibility(list, 'My requests, with requests (dana)');
      // Clicking the row's first cell (its resources), not its middle, where a person's name
      // links to their catalog page.
      await list
        .getByRole('row', { name: /^Open request / })
        .first()
        .getByRole('cell')
        .first()
        .click();
      const drawer = await see(
        list.getByRole('dialog', { name: 'Request details' }),
        'the request details beside the list',
      );
      await see(drawer.getByRole('heading', { level: 2 }), 'the request');
      await world.checkAccessibility(list, 'My requests, details open (dana)');
      await drawer.getByRole('button', { name: 'Close details' }).click();
      world.state.bundleRequests = Object.values(ids);
    },
  },
  {
    id: 'two-stage',
    name: 'dana asks admin on admin-console: lee (team lead) approves, then riley (security), each with the required reason; riley grants it by hand',
    async run(world) {
      const dana = await world.as('dana');
      const page = await dana.open('/access/new');
      await selectResource(page, {
        search: 'admin console',
        title: 'Admin console',
        permission: 'admin',
      });
      await page.getByRole('button', { name: 'Next' }).click();
      const created = await submitDetails(world, page, {
        duration: '30 minutes',
        justification: 'Quarterly review of back-office user accounts, CHG-118',
      });
      await see(
        created.getByText(/flow Admin access, team lead then security/),
        'the request under the two-stage flow, named by its title',
      );
      const id = await requestIdIn(created);
      world.state.twoStage = id;

      const lee = await world.as('lee');
      const card = await inboxCard(lee, id);
      await see(card.getByText('1 of 2', { exact: true }), 'stage 1 of 2');
      await decide(world, lee, id, 'approve', {
        required: true,
        reason: 'Part of the quarterly review',
      });

      // The other security engineer starts deciding too; riley is faster.
      const morgan = await world.as('morgan');
      const stale = await inboxCard(morgan, id);
      await see(
        stale.getByText('2 of 2', { exact: true }),
        'stage 2 of 2 for morgan',
      );
      await stale.getByRole('button', { name: /^Approve / }).click();
      const dialog = await see(
        morgan.page.getByRole('dialog'),
        "morgan's Approve dialog",
      );
      await dialog.getByLabel(/Reason \(required\)/).fill('Reviewed the scope');
      world.state.morganDialog = dialog;

      const riley = await world.as('riley');
      await decide(world, riley, id, 'approve', {
        required: true,
        reason: 'Scope checked against CHG-118',
      });

      await requestPageWithStatus(dana, id, 'Granting');
      await completeTask(world, riley, id, {
        note: 'Admin role given in the console',
      });
      const request = await requestPageWithStatus(dana, id, 'Active');
      const stages = request.getByRole('list', { name: 'Approval stages' });
      await see(stages.getByText('Stage 1 of 2: Approved'), 'stage 1 approved');
      await see(
        stages.getByText(
          /Approved by Lee Lead on .* — “Part of the quarterly review”/,
        ),
        "lee's decision with its reason",
      );
      await see(stages.getByText('Stage 2 of 2: Approved'), 'stage 2 approved');
      await see(
        stages.getByText(
          /Approved by Riley Security on .* — “Scope checked against CHG-118”/,
        ),
        "riley's decision with its reason",
      );
      await world.screenshot(request, 'request-page');
      await world.checkAccessibility(
        request,
        'a two-stage request page (dana)',
      );
    },
  },
  {
    id: 'already-decided',
    needs: ['two-stage'],
    name: 'morgan, the second security approver, sees that riley already decided',
    async run(world) {
      const id = world.state.twoStage;
      const morgan = await world.as('morgan');
      const { page } = morgan;
      const dialog = world.state.morganDialog;
      await dialog
        .getByRole('button', { name: 'Approve', exact: true })
        .click();
      // The backend's words, with each person by name (a link to their catalog page).
      await see(
        dialog.getByRole('alert').filter({
          hasText:
            /^Already changed: The request is \w+; decided by Lee Lead \(approve\), Riley Security \(approve\)/,
        }),
        'who decided first, in the dialog',
      );
      await world.screenshot(page, 'approvals-already-decided');
      await world.checkAccessibility(
        page,
        'the Approve dialog, already decided (morgan)',
      );
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await notSee(
        linkingTo(page, CARD, id),
        'the decided request among the pending ones',
      );

      // The request page tells morgan who decided each stage.
      const request = await morgan.open(`/access/requests/${id}`);
      const stages = await see(
        request.getByRole('list', { name: 'Approval stages' }),
        'the approval stages for morgan',
      );
      await see(stages.getByText('Stage 2 of 2: Approved'), 'stage 2 approved');
      await see(
        stages.getByText(/^Approved by Riley Security on /),
        "riley's decision",
      );
      assert(
        (await stages.getByText(/by Morgan Security/).count()) === 0,
        'a decision of morgan was recorded',
      );
    },
  },
  {
    id: 'rejection',
    name: 'sam asks write on payments-db; lee rejects it with the reason the flow requires; sam sees the reason',
    async run(world) {
      const sam = await world.as('sam');
      const page = await sam.open('/access/new');
      await selectResource(page, {
        search: 'payments',
        title: 'Payments PostgreSQL database',
        permission: 'write',
      });
      await page.getByRole('button', { name: 'Next' }).click();
      const created = await submitDetails(world, page, {
        duration: '4 hours',
        justification: 'Backfill the payout reports table for the data team',
      });
      const id = await requestIdIn(created);

      const reason = 'Use the read replica; writes need a change ticket';
      const lee = await world.as('lee');
      await decide(world, lee, id, 'reject', { required: true, reason });
      const decided = lee.page;
      await decided.getByRole('tab', { name: 'Decided' }).click();
      const row = await see(
        linkingTo(decided, 'tr', id),
        'the rejection under Decided',
      );
      await see(
        row.getByText(`— “${reason}”`, { exact: false }),
        'the reason under Decided',
      );
      await world.screenshot(decided, 'approvals-decided');
      await world.checkAccessibility(decided, 'Approvals, decided (lee)');

      const request = await requestPageWithStatus(sam, id, 'Rejected');
      await see(
        request.getByText(reason, { exact: true }),
        'the reason as the status reason',
      );
      await see(
        request
          .getByRole('list', { name: 'Approval stages' })
          .getByText(
            new RegExp(
              `Rejected by Lee Lead on .* — “${escapeRegExp(reason)}”`,
            ),
          ),
        "lee's rejection with its reason",
      );
      await world.checkAccessibility(request, 'a rejected request page (sam)');
    },
  },
  {
    id: 'admin',
    name: 'alex, the admin, sees every request and verifies the audit chain',
    async run(world) {
      const alex = await world.as('alex');
      const page = await alex.open('/access/admin');
      await see(page.getByText('All requests'), 'all requests');
      for (const id of [world.state.dbRequest, world.state.twoStage].filter(
        Boolean,
      )) {
        const row = await listedRequest(page, id);
        await see(
          row.getByText('Dana Developer', { exact: true }),
          `dana's request ${id} among all requests`,
        );
      }
      await page.getByLabel('Search requests').fill('');
      await page
        .getByRole('button', { name: 'Verify the audit chain' })
        .click();
      await see(
        page.getByText(/^The audit chain is intact \(\d+ entries checked\)\.$/),
        'the audit chain intact',
      );
      await see(
        page.getByText('Reconciliation findings'),
        'the reconciliation findings',
      );
      await world.screenshot(page, 'admin');
      await world.checkAccessibility(page, 'Admin (alex)');
      const delegated = await alex.open('/access/delegated');
      await see(
        delegated.getByLabel('Search requests'),
        'the delegated requests',
      );
      await world.checkAccessibility(delegated, 'Delegated requests (alex)');
    },
  },
  ...keyboardScenarios,
];

module.exports = { scenarios };
