// Moving through a page with the keyboard alone, as a person who cannot use a mouse does.
const { E2EError, assert, eventually, see } = require('./harness');

/** Tab presses allowed to reach an element (the app's sidebar comes first on each page). */
const MAX_TABS = 150;

/** Whether the focused element shows it: an outline, or Material UI's focus classes. */
async function focusIsVisible(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    for (let depth = 0; el && depth < 4; depth += 1, el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
        return true;
      if (/focusVisible|Mui-focused|focused/.test(String(el.className)))
        return true;
    }
    return false;
  });
}

/** Whether the focus is on `locator`'s element or inside it. */
async function hasFocus(locator) {
  return locator.evaluate(
    el => el === document.activeElement || el.contains(document.activeElement),
  );
}

/**
 * Presses Tab until `locator` has the focus, and checks that the focus is visible there. Fails
 * when it is not reached.
 */
async function tabTo(page, locator, what) {
  const target = await see(locator, what);
  for (let i = 0; i < MAX_TABS; i += 1) {
    if (await hasFocus(target)) {
      assert(await focusIsVisible(page), `the focus on ${what} is not visible`);
      return target;
    }
    await page.keyboard.press('Tab');
  }
  throw new E2EError(`${what} is not reached with the Tab key`);
}

/** In an open listbox, moves with the arrow keys to the option `name` and chooses it. */
async function chooseOption(page, name) {
  const listbox = await see(page.getByRole('listbox'), `the choices`);
  await eventually(
    () => hasFocus(listbox),
    'the focus did not move into the choices',
  );
  for (let i = 0; i < 20; i += 1) {
    const focused = await page.evaluate(() =>
      document.activeElement?.textContent?.trim(),
    );
    if (focused === name) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new E2EError(`the choice ${name} is not reached with the arrow keys`);
}

/**
 * Waits until the focus is inside `locator` (a dialog that just opened), or on the container
 * that holds only the dialog (where Material UI puts it when nothing inside asks for it).
 */
async function focusMovesInto(locator, what) {
  await eventually(
    () =>
      locator.evaluate(el => {
        const active = document.activeElement;
        return (
          el.contains(active) ||
          (active !== document.body && active.contains(el))
        );
      }),
    `the focus did not move into ${what}`,
  );
}

/** Waits until the focus is back on `locator` (the button that opened a closed dialog). */
async function focusReturnsTo(locator, what) {
  await eventually(
    () => hasFocus(locator),
    `the focus did not return to ${what}`,
  );
}

module.exports = { chooseOption, focusMovesInto, focusReturnsTo, tabTo };
