import {
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;

/**
 * Parses an entity ref the way the catalog names entities, stricter than `parseEntityRef` (which
 * accepts `a:b:c/d`), and returns it normalised (`kind:namespace/name`, kind in lower case).
 * Throws an InputError naming the field.
 */
export function normaliseEntityRef(
  ref: string,
  options: { defaultKind: string; field: string; kinds?: string[] },
): string {
  const { defaultKind, field, kinds } = options;
  let parsed;
  try {
    parsed = parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' });
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    !KIND.test(parsed.kind) ||
    !KubernetesValidatorFunctions.isValidNamespace(parsed.namespace) ||
    !KubernetesValidatorFunctions.isValidObjectName(parsed.name)
  ) {
    throw new InputError(
      `${field}: '${ref}' is not an entity ref of the form [kind:][namespace/]name`,
    );
  }
  const normalised = stringifyEntityRef(parsed);
  const kind = parsed.kind.toLocaleLowerCase('en-US');
  if (kinds && !kinds.includes(kind)) {
    throw new InputError(
      `${field}: '${ref}' must be a ${kinds.join(' or ')}, not a ${kind}`,
    );
  }
  return normalised;
}
