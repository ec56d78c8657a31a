import { makeValidator } from '@backstage/catalog-model';
import { z } from 'zod';
import type { CatalogAcceptance } from './provisioner';
import { normaliseResourceRef } from './resourceRefs';

const validator = makeValidator();

/**
 * A resource ref pattern in full: `payments-*` becomes `resource:default/payments-*`. `*` stands
 * for any run of characters within the part it is written in (kind, namespace or name), so
 * `resource:payments/*` is every resource in the namespace `payments`, and a pattern whose
 * kind, namespace and name are each `*` matches every entity.
 * Without `*` it is a ref, normalised like {@link normaliseResourceRef}. Undefined when it is
 * neither.
 */
export function normaliseResourceRefPattern(
  pattern: string,
): string | undefined {
  const trimmed = pattern.trim();
  if (!trimmed.includes('*')) {
    return normaliseResourceRef(trimmed);
  }
  const colon = trimmed.indexOf(':');
  const kind = colon >= 0 ? trimmed.slice(0, colon) : 'resource';
  const rest = colon >= 0 ? trimmed.slice(colon + 1) : trimmed;
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : 'default';
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  // Each part must be valid with its wildcards taken as ordinary characters.
  const plain = (part: string) => part.replace(/\*/g, 'x');
  if (
    !validator.isValidKind(plain(kind)) ||
    !validator.isValidNamespace(plain(namespace).toLocaleLowerCase('en-US')) ||
    !validator.isValidEntityName(plain(name))
  ) {
    return undefined;
  }
  return `${kind.toLocaleLowerCase('en-US')}:${namespace.toLocaleLowerCase(
    'en-US',
  )}/${name}`;
}

/** Whether a ref matches a pattern of {@link normaliseResourceRefPattern}, without regard to case. */
export function resourceRefMatches(pattern: string, ref: string): boolean {
  const full = normaliseResourceRefPattern(pattern);
  const target = normaliseResourceRef(ref);
  if (!full || !target) {
    return false;
  }
  const [patternKind, patternRest] = splitKind(full);
  const [refKind, refRest] = splitKind(target);
  const [patternNamespace, patternName] = splitNamespace(patternRest);
  const [refNamespace, refName] = splitNamespace(refRest);
  return (
    globMatches(patternKind, refKind) &&
    globMatches(patternNamespace, refNamespace) &&
    globMatches(patternName, refName)
  );
}

function splitKind(ref: string): [string, string] {
  const colon = ref.indexOf(':');
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}

function splitNamespace(rest: string): [string, string] {
  const slash = rest.indexOf('/');
  return [rest.slice(0, slash), rest.slice(slash + 1)];
}

function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/** A catalog namespace, lower-cased, or undefined when it is not one. */
export function normaliseCatalogNamespace(value: string): string | undefined {
  const namespace = value.trim().toLocaleLowerCase('en-US');
  return validator.isValidNamespace(namespace) ? namespace : undefined;
}

const refPatternSchema = z
  .string({ invalid_type_error: 'must be a string' })
  .transform((value, ctx) => {
    const pattern = normaliseResourceRefPattern(value);
    if (!pattern) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${value}' is not an entity ref or pattern of the form [kind:][namespace/]name, where * stands for any characters`,
      });
      return z.NEVER;
    }
    return pattern;
  });

const namespaceSchema = z
  .string({ invalid_type_error: 'must be a string' })
  .transform((value, ctx) => {
    const namespace = normaliseCatalogNamespace(value);
    if (!namespace) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${value}' is not a catalog namespace`,
      });
      return z.NEVER;
    }
    return namespace;
  });

/**
 * The fields of a catalog acceptance in config, for a zod object of a module's own:
 * `refs` (refs or patterns), `namespaces` and `types`. Use with
 * {@link requireRefsOrNamespaces} and {@link toCatalogAcceptance}, or take
 * {@link catalogAcceptanceConfigSchema} whole.
 */
export const catalogAcceptanceShape = {
  refs: z.array(refPatternSchema).optional(),
  namespaces: z.array(namespaceSchema).optional(),
  types: z
    .array(
      z
        .string({ invalid_type_error: 'must be a string' })
        .trim()
        .min(1, 'must not be empty'),
    )
    .optional(),
};

/**
 * An acceptance as written in a module's config (`accepts: { refs, namespaces, types }`).
 *
 * @public
 */
export interface RawAcceptance {
  refs?: string[];
  namespaces?: string[];
  types?: string[];
}

/**
 * A zod refinement: an acceptance must name refs or namespaces. An entity chooses its own type,
 * so types alone would accept anything anyone puts in the catalog; they only narrow.
 */
export function requireRefsOrNamespaces(
  value: RawAcceptance,
  ctx: z.RefinementCtx,
): void {
  if (!value.refs?.length && !value.namespaces?.length) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message:
        'must name refs or namespaces: an entity chooses its own type, so types only narrow what refs and namespaces accept',
    });
  }
}

/** What a validated acceptance in config means as a {@link CatalogAcceptance}. */
export function toCatalogAcceptance(value: RawAcceptance): CatalogAcceptance {
  return {
    ...(value.refs?.length ? { resourceRefs: value.refs } : {}),
    ...(value.namespaces?.length ? { namespaces: value.namespaces } : {}),
    ...(value.types?.length ? { resourceTypes: value.types } : {}),
  };
}

/**
 * Which catalog entities a provisioner accepts, as a provisioner module's config says it
 * (`accepts:`): `refs` (refs or patterns) and `namespaces` choose the entities, `types` narrows
 * them. At least one of `refs` and `namespaces` is required. Gives a {@link CatalogAcceptance}
 * for `serves.catalog`.
 */
export const catalogAcceptanceConfigSchema: z.ZodType<
  CatalogAcceptance,
  z.ZodTypeDef,
  RawAcceptance
> = z
  .object(catalogAcceptanceShape)
  .strict()
  .superRefine(requireRefsOrNamespaces)
  .transform(toCatalogAcceptance);
