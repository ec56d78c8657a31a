/**
 * The field schemas the `access` config's sections share: entity refs (normalised, or explained),
 * approvers, ISO-8601 durations, regular expressions and non-empty strings and lists.
 */
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Duration } from 'luxon';
import { z } from 'zod';

/** The kinds of entity a principal (a requestor, an owner, an approver) may be. */
export const PRINCIPAL_KINDS = ['user', 'group'];

const validator = makeValidator();

/**
 * Parses and normalises an entity ref (`payments-db` becomes `resource:default/payments-db`),
 * or explains what is wrong with it.
 */
export function normaliseEntityRef(
  value: string,
  defaultKind: string,
  allowedKinds?: string[],
): { ref: string } | { error: string } {
  let parsed;
  try {
    parsed = parseEntityRef(value, {
      defaultKind,
      defaultNamespace: 'default',
    });
  } catch {
    return {
      error: `Invalid entity ref '${value}': expected [<kind>:][<namespace>/]<name>`,
    };
  }
  if (!validator.isValidKind(parsed.kind)) {
    return {
      error: `Invalid entity ref '${value}': '${parsed.kind}' is not a valid kind`,
    };
  }
  // Refs compare case-insensitively; catalog namespaces are lowercase DNS labels.
  if (
    !validator.isValidNamespace(parsed.namespace.toLocaleLowerCase('en-US'))
  ) {
    return {
      error: `Invalid entity ref '${value}': '${parsed.namespace}' is not a valid namespace`,
    };
  }
  if (!validator.isValidEntityName(parsed.name)) {
    return {
      error: `Invalid entity ref '${value}': '${parsed.name}' is not a valid entity name`,
    };
  }
  const ref = stringifyEntityRef(parsed);
  const kind = ref.slice(0, ref.indexOf(':'));
  if (allowedKinds && !allowedKinds.includes(kind)) {
    return {
      error: `Entity ref '${value}' has kind '${kind}', expected one of: ${allowedKinds.join(
        ', ',
      )}`,
    };
  }
  return { ref };
}

export const nonEmptyString = z.string().min(1, 'Must not be empty');

export function nonEmptyList<T extends z.ZodTypeAny>(item: T) {
  return z.array(item).min(1, 'Must contain at least one entry');
}

/** An entity ref, normalised to `kind:namespace/name`. */
export function entityRef(defaultKind: string, allowedKinds?: string[]) {
  return z.string().transform((value, ctx) => {
    const result = normaliseEntityRef(value, defaultKind, allowedKinds);
    if ('error' in result) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.error });
      return z.NEVER;
    }
    return result.ref;
  });
}

/** An approver: the word `owners`, or a user or group ref. */
export const approver = z.string().transform((value, ctx) => {
  if (value === 'owners') {
    return value;
  }
  const result = normaliseEntityRef(value, 'group', PRINCIPAL_KINDS);
  if ('error' in result) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `${result.error} (or the word 'owners')`,
    });
    return z.NEVER;
  }
  return result.ref;
});

/** The length of an ISO-8601 duration in milliseconds, or undefined when it is not valid. */
export function durationMillis(value: unknown): number | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const duration = Duration.fromISO(value);
  return duration.isValid ? duration.toMillis() : undefined;
}

/** A positive ISO-8601 duration, e.g. `PT8H` or `P7D`. */
export const isoDuration = z.string().superRefine((value, ctx) => {
  const millis = durationMillis(value);
  if (millis === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Invalid ISO-8601 duration '${value}' (e.g. PT8H, P1D)`,
    });
  } else if (!(millis > 0)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Duration '${value}' must be longer than zero`,
    });
  }
});

/** A regular expression, e.g. a ticket id pattern. */
export const regexPattern = z.string().superRefine((value, ctx) => {
  try {
    // eslint-disable-next-line no-new
    new RegExp(value);
  } catch (error) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Invalid regular expression '${value}': ${
        error instanceof Error ? error.message : String(error)
      }`,
    });
  }
});
