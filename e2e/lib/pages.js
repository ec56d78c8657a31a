// Finding things on the access pages, shared by the scenarios.
const { eventually, linkingTo, notSee, see } = require('./harness');

/** How the catalog names the demo's people (spec.profile.displayName in examples/org.yaml). */
const DISPLAY_NAMES = {
  dana: 'Dana Developer',
  sam: 'Sam Engineer',
  lee: 'Lee Lead',
  riley: 'Riley Security',
  morgan: 'Morgan Security',
  alex: 'Alex Admin',
};

/** Cards of requests (the page itself is an article too, without a name). */
const CARD = 'article[aria-label]';

/** Chooses `value` in the Material UI select whose accessible name starts with `label`. */
async function choose(page, label, value) {
  await page
    .getByRole('button', { name: new RegExp(`^${label}`) })
    .first()
    .click();
  await page.getByRole('option', { name: value, exact: true }).click();
  await notSee(page.getByRole('listbox'), `the ${label} choices`);
}

/** The pending-approval card of request `id` in the approver's inbox. */
async function inboxCard(person, id) {
  const page = await person.open('/access/approvals');
  return see(
    linkingTo(page, CARD, id),
    `request ${id} waiting in the inbox of ${person.name}`,
  );
}

/** Opens the page of request `id` and waits (reloading) until its status chip says `status`. */
async function requestPageWithStatus(person, id, status, timeoutMs = 30_000) {
  const page = await person.open(`/access/requests/${id}`);
  const heading = page.getByRole('heading', { level: 2 });
  await eventually(
    async () => {
      await heading.first().waitFor({ timeout: 5_000 });
      const chip = page.getByText(status, { exact: true });
      if (await chip.first().isVisible()) return true;
      await page.waitForTimeout(1_000);
      await page.reload();
      return false;
    },
    `request ${id} did not become ${status} for ${person.name}`,
    timeoutMs,
  );
  return page;
}

module.exports = {
  CARD,
  DISPLAY_NAMES,
  choose,
  inboxCard,
  requestPageWithStatus,
};
