/**
 * The problems found in the `access` config, and how each is reported: its place, written from
 * `access` down and labelled with the entry's ref or id, and what is wrong there.
 */
import { z } from 'zod';

/** Where a problem is, below `access`. */
export type IssuePath = (string | number)[];

export interface Issue {
  path: IssuePath;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Checks across list entries, done on the raw input so that they are reported even when other
// entries have errors of their own.

function rawList(raw: unknown, key: string): unknown[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [];
  }
  const list = (raw as Record<string, unknown>)[key];
  return Array.isArray(list) ? list : [];
}

function rawField(entry: unknown, key: string): unknown {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return undefined;
  }
  return (entry as Record<string, unknown>)[key];
}

export function duplicateIssues(
  raw: unknown,
  list: 'resources' | 'bundles' | 'flows',
  field: string,
  describe: string,
  normalise: (value: string) => string | undefined = value => value,
): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  rawList(raw, list).forEach((entry, index) => {
    const value = rawField(entry, field);
    const key =
      typeof value === 'string' && value !== '' ? normalise(value) : undefined;
    if (key === undefined) {
      return;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        path: [list, index, field],
        message: `Duplicate ${describe} '${key}' (also used by access.${list}[${first}])`,
      });
    } else {
      seen.set(key, index);
    }
  });
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Error messages

/** `access.flows[2] (id 'db-owner').approval.stages[0].minApprovals` */
export function formatPath(raw: unknown, path: IssuePath): string {
  let result = 'access';
  path.forEach((segment, index) => {
    if (typeof segment === 'number') {
      result += `[${segment}]`;
      if (index === 1) {
        const labelField = path[0] === 'resources' ? 'ref' : 'id';
        const label = rawField(
          rawList(raw, String(path[0]))[segment],
          labelField,
        );
        if (typeof label === 'string' && label !== '') {
          result += ` (${labelField} '${label}')`;
        }
      }
    } else {
      result += `.${segment}`;
    }
  });
  return result;
}

/** Zod's issues, one per unknown key. */
export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.flatMap((issue): Issue[] => {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      return issue.keys.map(key => ({
        path: [...issue.path, key],
        message: 'Unknown field',
      }));
    }
    return [{ path: issue.path, message: issue.message }];
  });
}
