// Accessibility checks of the pages the scenarios visit: axe-core (WCAG 2.1 A and AA rules) runs
// in the page as it is. A serious or critical violation inside the plugin's own elements (marked
// with data-jit-access: the access page, the entity card, the plugin's dialogs) fails the check;
// violations elsewhere (the app's sidebar, the catalog's cards) are collected and listed.
const fs = require('fs');

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING_IMPACTS = ['serious', 'critical'];
/** The plugin marks its root elements (and its dialogs, drawn outside them) with this. */
const PLUGIN_ROOT = '[data-jit-access]';

let axeSource;
function loadAxe() {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/**
 * Runs axe-core on the page and answers its violations, one per rule and element:
 * `{ rule, impact, help, target, html, inPlugin }`.
 */
async function axeViolations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.addScriptTag({ content: loadAxe() });
  }
  return page.evaluate(
    async ({ tags, root }) => {
      const results = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      const found = [];
      for (const violation of results.violations) {
        for (const node of violation.nodes) {
          const selector = node.target[node.target.length - 1];
          let element;
          try {
            element = document.querySelector(String(selector));
          } catch {
            element = undefined;
          }
          found.push({
            rule: violation.id,
            impact: node.impact ?? violation.impact,
            help: violation.help,
            target: node.target.join(' '),
            html: node.html.slice(0, 160),
            summary: node.failureSummary?.split('\n').slice(0, 2).join(' '),
            inPlugin: Boolean(element?.closest(root)),
          });
        }
      }
      return found;
    },
    { tags: TAGS, root: PLUGIN_ROOT },
  );
}

/**
 * What the accessibility checks found during a run: the plugin's serious and critical violations
 * (which fail the run) and the rest, by rule.
 */
class AccessibilityLog {
  constructor() {
    this.checked = [];
    this.failing = [];
    this.shell = new Map();
    this.plugin = new Map();
  }

  /** Checks the page as it is now, named `where` (e.g. "the Approve dialog (lee)"). */
  async check(page, where) {
    // Let transitions (dialogs fading in) finish before reading colours.
    await page.waitForTimeout(400);
    const violations = await axeViolations(page);
    this.checked.push(where);
    for (const v of violations) {
      if (v.inPlugin && FAILING_IMPACTS.includes(v.impact)) {
        this.failing.push({ ...v, where });
      }
      const bucket = v.inPlugin ? this.plugin : this.shell;
      const key = `${v.rule} (${v.impact})`;
      const entry = bucket.get(key) ?? {
        help: v.help,
        pages: new Set(),
        nodes: 0,
        example: `${v.target}: ${v.html}`,
      };
      entry.pages.add(where);
      entry.nodes += 1;
      bucket.set(key, entry);
    }
    return violations;
  }

  /** The plugin's serious and critical violations: rule, element and page, one per line. */
  failures() {
    return this.failing.map(
      v =>
        `${v.rule} (${v.impact}) on ${v.where}: ${v.help}\n      at ${
          v.target
        }\n      ${v.html}${v.summary ? `\n      ${v.summary}` : ''}`,
    );
  }

  /** Lines listing what was checked and the violations that do not fail the run. */
  summary() {
    const lines = [
      `Accessibility: ${
        this.checked.length
      } page states checked with axe-core (${TAGS.join(', ')}).`,
    ];
    const list = (title, bucket) => {
      if (bucket.size === 0) return;
      lines.push(title);
      for (const [key, { help, pages, nodes, example }] of bucket) {
        lines.push(
          `    ${key}: ${help}; ${nodes} element(s) on ${[...pages].join(
            '; ',
          )}`,
          `      e.g. ${example}`,
        );
      }
    };
    list(
      '  Outside the plugin (the app shell; listed, not failed on):',
      this.shell,
    );
    list('  In the plugin:', this.plugin);
    return lines;
  }
}

module.exports = { AccessibilityLog, axeViolations, PLUGIN_ROOT };
