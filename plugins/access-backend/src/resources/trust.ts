import { parseEntityRef } from '@backstage/catalog-model';
import { AccessResource } from '@jit-access/plugin-access-common';
import {
  AccessProvisioner,
  CatalogAcceptance,
  resourceRefMatches,
} from '@jit-access/plugin-access-node';

/** Catalog entities the operator accepts for one integration (`access.trust.catalogResources`). */
export interface OperatorCatalogAcceptance extends CatalogAcceptance {
  integration: string;
}

/** What the operator's config says about trusting catalog data (`access.trust`). */
export interface CatalogTrust {
  catalogResources: OperatorCatalogAcceptance[];
}

/** A resource as the access plugin knows it, with why it cannot be requested when it cannot. */
export interface JudgedResource extends AccessResource {
  /** Present when nobody accepted this catalog entity: it is shown to admins, never requested. */
  unrequestableReason?: string;
}

const TRUST_PATH = 'access.trust.catalogResources';

interface Scope extends CatalogAcceptance {
  /** Who accepts: the provisioner, or the operator's config. */
  by: string;
}

/**
 * Whether a resource may be requested, and with which permissions. Resources from the operator's
 * config and from a provisioner's own discovery are trusted. A catalog entity is requestable only
 * when the provisioner it names in `jit-access.io/integration` accepts it (`serves.catalog`), or
 * the operator does (`access.trust.catalogResources`), and only with the types and permissions
 * that provisioner serves; otherwise the reason says why not.
 */
export function judgeResource(
  resource: AccessResource,
  provisioners: ReadonlyMap<string, AccessProvisioner>,
  trust: CatalogTrust,
): JudgedResource {
  if (resource.source !== 'catalog') {
    return resource;
  }
  const refuse = (reason: string): JudgedResource => ({
    ...resource,
    unrequestableReason: reason,
  });
  const { integration, ref, type } = resource;
  const provisioner = provisioners.get(integration);
  const serves = provisioner?.serves ?? {};
  const own = serves.catalog;
  const scopes: Scope[] = [
    ...(own && (own.resourceRefs?.length || own.namespaces?.length)
      ? [{ ...own, by: `provisioner '${integration}'` }]
      : []),
    ...trust.catalogResources
      .filter(entry => entry.integration === integration)
      .map(entry => ({ ...entry, by: TRUST_PATH })),
  ];
  if (scopes.length === 0) {
    return refuse(
      provisioner
        ? `provisioner '${integration}' accepts no catalog entities, and ${TRUST_PATH} accepts none for it`
        : `no provisioner '${integration}' is installed, and ${TRUST_PATH} accepts no catalog entities for it`,
    );
  }
  const namespace = namespaceOf(ref);
  const inScope = scopes.filter(
    scope =>
      scope.resourceRefs?.some(pattern => resourceRefMatches(pattern, ref)) ||
      (namespace !== undefined && scope.namespaces?.includes(namespace)),
  );
  if (inScope.length === 0) {
    return refuse(`${doesNot(scopes)} accept this catalog entity`);
  }
  if (
    !inScope.some(
      scope => !scope.resourceTypes || scope.resourceTypes.includes(type),
    )
  ) {
    return refuse(
      `${doesNot(inScope)} accept catalog entities of type '${type}'`,
    );
  }
  if (
    provisioner &&
    serves.resourceTypes &&
    !serves.resourceTypes.includes(type)
  ) {
    return refuse(
      `provisioner '${integration}' serves no resources of type '${type}'`,
    );
  }
  const permissions = serves.permissions
    ? resource.permissions.filter(p => serves.permissions!.includes(p))
    : resource.permissions;
  if (permissions.length === 0) {
    return refuse(
      `provisioner '${integration}' serves none of its permissions (${resource.permissions.join(
        ', ',
      )})`,
    );
  }
  return { ...resource, permissions };
}

/** `provisioner 'x' does not`, `provisioner 'x' and access.trust.catalogResources do not` */
function doesNot(scopes: Scope[]): string {
  const names = [...new Set(scopes.map(scope => scope.by))];
  return `${names.join(' and ')} ${names.length === 1 ? 'does' : 'do'} not`;
}

function namespaceOf(ref: string): string | undefined {
  try {
    return parseEntityRef(ref).namespace.toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
