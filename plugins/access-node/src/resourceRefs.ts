import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';

const validator = makeValidator();

/**
 * A resource's entity ref in full, for provisioner modules that name resources in their config:
 * `payments-db` becomes `resource:default/payments-db`; kind and namespace are lower-cased, the
 * name keeps the spelling given (for messages). Refs compare without regard to case, as
 * Backstage's do: use {@link sameResourceRef}. Undefined when it is not an entity ref.
 */
export function normaliseResourceRef(ref: string): string | undefined {
  let parsed;
  try {
    parsed = parseEntityRef(ref.trim(), {
      defaultKind: 'resource',
      defaultNamespace: 'default',
    });
  } catch {
    return undefined;
  }
  const { kind, namespace, name } = parsed;
  if (
    !validator.isValidKind(kind) ||
    !validator.isValidNamespace(namespace.toLocaleLowerCase('en-US')) ||
    !validator.isValidEntityName(name)
  ) {
    return undefined;
  }
  return `${kind.toLocaleLowerCase('en-US')}:${namespace.toLocaleLowerCase(
    'en-US',
  )}/${name}`;
}

/** Whether two refs name the same resource. */
export function sameResourceRef(a: string, b: string): boolean {
  return resourceRefKey(a) === resourceRefKey(b);
}

/** A key to look resources up by, the same for every spelling of a ref. */
export function resourceRefKey(ref: string): string {
  return (normaliseResourceRef(ref) ?? ref.trim()).toLocaleLowerCase('en-US');
}

/**
 * A resource named in a provisioner module's config, validated with zod and normalised with
 * {@link normaliseResourceRef}; the issue names the value and the expected form.
 */
export const resourceRefConfigSchema = z
  .string({
    required_error: 'is required',
    invalid_type_error: 'must be a string',
  })
  .transform((value, ctx) => {
    const ref = normaliseResourceRef(value);
    if (!ref) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${value}' is not an entity ref of the form [kind:][namespace/]name`,
      });
      return z.NEVER;
    }
    return ref;
  });
