// Scenarios for accessibility: every page of someone who has asked for nothing yet (the empty
// states), and a request made and approved with the keyboard alone. The other scenarios check
// the pages and dialogs they pass through (world.checkAccessibility).
const { notSee, requestIdIn, see } = require('./lib/harness');
const {
  chooseOption,
  focusMovesInto,
  focusReturnsTo,
  tabTo,
} = require('./lib/keyboard');
const { inboxCard, requestPageWithStatus } = require('./lib/pages');

const emptyPagesScenario = {
  id: 'empty-pages',
  name: 'sam, who has asked for nothing yet, sees the empty access pages',
  async run(world) {
    const sam = await world.as('sam');
    let page = await sam.open('/access');
    await see(page.getByText('You have no active access'), 'no active access');
    await world.checkAccessibility(page, 'My access, empty (sam)');
    for (const [path, what, empty] of [
      ['/access/requests', 'My requests', 'You have no requests yet'],
      [
        '/access/delegated',
        'Delegated requests',
        'You have not requested access for anyone else',
      ],
    ]) {
      page = await sam.open(path);
      await see(page.getByText(empty), `${what}, empty`);
      await world.checkAccessibility(page, `${what}, empty (sam)`);
    }
    page = await sam.open('/access/approvals');
    await see(page.getByRole('tab', { name: 'Pending' }), 'the approvals');
    await world.checkAccessibility(page, 'Approvals, empty (sam)');
    await page.getByRole('tab', { name: 'Decided' }).click();
    await world.checkAccessibility(page, 'Approvals, decided, empty (sam)');
    // The fulfilment tasks tab appears once someone has had a task; the scenarios that
    // complete tasks check it, to do and done.
  },
};

const keyboardScenarios = [
  {
    id: 'keyboard-request',
    name: 'sam requests payments-db (read) with the keyboard alone',
    async run(world) {
      const sam = await world.as('sam');
      const page = await sam.open('/access/new');
      await see(
        page.getByRole('table', { name: 'Resources' }),
        'the resources table',
      );
      await tabTo(page, page.getByLabel('Search resources'), 'the search');
      await page.keyboard.type('payments');
      await tabTo(
        page,
        page.getByRole('checkbox', {
          name: 'Select Payments PostgreSQL database',
        }),
        'the payments-db checkbox',
      );
      await page.keyboard.press('Space');
      await see(
        page.getByRole('status').filter({ hasText: /^1 of at most/ }),
        'one item selected',
      );
      await tabTo(page, page.getByRole('button', { name: 'Next' }), 'Next');
      await page.keyboard.press('Enter');

      const form = await see(
        page.getByRole('form', { name: 'Additional details' }),
        'the additional details form',
      );
      await tabTo(
        page,
        form.getByRole('button', { name: /^Duration/ }),
        'the duration',
      );
      await page.keyboard.press('Enter');
      await chooseOption(page, '1 hour');
      await notSee(page.getByRole('listbox'), 'the duration choices');
      await tabTo(
        page,
        form.getByLabel('Why do you need this access?'),
        'the justification',
      );
      await page.keyboard.type(
        'Compare the ledger with the data warehouse export, DATA-311',
      );
      await tabTo(
        page,
        form.getByRole('button', { name: 'Submit request' }),
        'Submit request',
      );
      await page.keyboard.press('Enter');
      await see(
        page.getByRole('status').filter({ hasText: /^Submitted: / }),
        'the submission confirmed',
      );
      world.state.keyboardRequest = await requestIdIn(
        page.getByRole('list', { name: 'Requests created' }),
      );
    },
  },
  {
    id: 'keyboard-approve',
    needs: ['keyboard-request'],
    name: 'lee approves it with the keyboard alone; the focus moves into each dialog and back',
    async run(world) {
      const id = world.state.keyboardRequest;
      const lee = await world.as('lee');
      const card = await inboxCard(lee, id);
      const { page } = lee;

      const reject = await tabTo(
        page,
        card.getByRole('button', { name: /^Reject / }),
        'Reject',
      );
      await page.keyboard.press('Enter');
      let dialog = await see(page.getByRole('dialog'), 'the Reject dialog');
      await focusMovesInto(dialog, 'the Reject dialog');
      await page.keyboard.press('Escape');
      await notSee(dialog, 'the Reject dialog');
      await focusReturnsTo(reject, 'Reject');

      await tabTo(
        page,
        card.getByRole('button', { name: /^Approve / }),
        'Approve',
      );
      await page.keyboard.press('Enter');
      dialog = await see(page.getByRole('dialog'), 'the Approve dialog');
      await focusMovesInto(dialog, 'the Approve dialog');
      await tabTo(
        page,
        dialog.getByRole('button', { name: 'Approve', exact: true }),
        'Approve in the dialog',
      );
      await page.keyboard.press('Enter');
      await see(
        page.getByRole('status').filter({ hasText: 'Approved the request' }),
        'the approval confirmed',
      );
      await requestPageWithStatus(await world.as('sam'), id, 'Active');
    },
  },
];

module.exports = { emptyPagesScenario, keyboardScenarios };
