/**
 * The `access` section holds the core's own keys and, beside them, one section per provisioner
 * module (`access.postgres`, `access.webhook`, `access.manual`, …), which each module reads and
 * validates itself. The core does not name the modules; it tells a module section from a
 * mistyped core key by this rule:
 *
 * - a key the core knows is validated strictly by the core's schema;
 * - any other key is left to a module when its value is an object (or empty), and refused as an
 *   unknown field otherwise (`flow: [...]`, `encryptionKey: ...` one level too high);
 * - an object under a key within two edits of a core key, ignoring case (`rateLimit`, `Trust`,
 *   `credential`), is refused as a likely typo: a module's section must not be named like one.
 */

/** Where a problem is, below `access`, and what it is. */
export interface SectionIssue {
  path: string[];
  message: string;
}

/**
 * Splits the raw `access` section into the core's keys, for the core's schema, and reports the
 * other keys that cannot be module sections.
 */
export function splitModuleSections(
  raw: unknown,
  coreKeys: readonly string[],
): { core: unknown; issues: SectionIssue[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    // Let the core's schema say what is wrong with it.
    return { core: raw, issues: [] };
  }
  const core: Record<string, unknown> = {};
  const issues: SectionIssue[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (coreKeys.includes(key)) {
      core[key] = value;
      continue;
    }
    if (!isSection(value)) {
      issues.push({ path: [key], message: 'Unknown field' });
      continue;
    }
    const near = coreKeys.find(coreKey => isNearMiss(key, coreKey));
    if (near) {
      issues.push({
        path: [key],
        message: `Unknown field (did you mean '${near}'? A provisioner module's section must not be named like a core setting)`,
      });
    }
  }
  return { core, issues };
}

function isSection(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'object' && !Array.isArray(value))
  );
}

function isNearMiss(key: string, coreKey: string): boolean {
  return editDistance(key.toLowerCase(), coreKey.toLowerCase()) <= 2;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
