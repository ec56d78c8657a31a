import { LoggerService } from '@backstage/backend-plugin-api';

/** What a provisioner is asked to grant or revoke: one (resource, permission) for one person. */
export interface ProvisioningTarget {
  /** Id of the grant (request item) in the access plugin's database. */
  grantId: string;
  requestId: string;
  /** Entity ref of the resource, e.g. `resource:default/payments-db`. */
  resourceRef: string;
  /** The resource's type (`database`, `cloud-role`, ...), when known. */
  resourceType?: string;
  permission: string;
  /** Entity ref of the person who receives the access. */
  granteeRef: string;
  /** ISO-8601 start and end of the access. */
  startsAt: string;
  endsAt: string;
  /** What `grant` returned as `externalId`, on revoke and credential reset. */
  externalId?: string;
}

/** Passed to every provisioner call. */
export interface ProvisioningContext {
  /** Aborted when the call times out or the backend shuts down. */
  signal: AbortSignal;
  logger: LoggerService;
  /**
   * Stable per grant and action (`<grantId>:grant`, `<grantId>:revoke`): a retried call carries
   * the same key, so a target system that supports idempotency keys can use it as is.
   */
  idempotencyKey: string;
}

/**
 * Secrets the grantee needs to use the access (host, user, password, ...). The access plugin
 * stores them encrypted, shows them to the grantee once, then erases them.
 */
export type AccessCredentials = Record<string, string>;

/** Work handed to people instead of an API: the grant waits until someone completes the task. */
export interface FulfilmentTaskSpec {
  /** What the person completing the task must do, in plain words. */
  instructions: string;
}

export interface GrantResult {
  /** The target system's id of what was created, kept to revoke and reconcile it. */
  externalId?: string;
  /** Issued to the grantee; shown once. */
  credentials?: AccessCredentials;
  /** Present when the grant is done by people: the grant stays `granting` until completed. */
  fulfilment?: FulfilmentTaskSpec;
}

export interface RevokeResult {
  /** Present when the revocation is done by people: it stays `revoking` until completed. */
  fulfilment?: FulfilmentTaskSpec;
}

/** Access that exists in the target system right now, as reported for reconciliation. */
export interface ObservedAccess {
  resourceRef: string;
  permission: string;
  granteeRef: string;
  /** The grant this access was created for, when the target system records it. */
  grantId?: string;
  externalId?: string;
}

/** A resource a provisioner can offer, for discovery. */
export interface DiscoveredResource {
  ref: string;
  title: string;
  type: string;
  permissions: string[];
  owners?: string[];
  description?: string;
}

/**
 * Thrown by a provisioner to say whether trying again can help. Any other error counts as
 * transient and is retried with backoff; a permanent one fails the grant at once.
 */
export class ProvisioningError extends Error {
  readonly permanent: boolean;

  constructor(message: string, options: { permanent: boolean }) {
    super(message);
    this.name = 'ProvisioningError';
    this.permanent = options.permanent;
  }
}

/** Whether an error thrown by a provisioner says that retrying cannot help. */
export function isPermanentProvisioningError(error: unknown): boolean {
  // A property check rather than instanceof: modules may bundle their own copy of this package.
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { permanent?: unknown }).permanent === true
  );
}

/**
 * Which catalog entities a provisioner accepts as resources to grant. Anyone who can register a
 * catalog location can write an entity that names a provisioner in `jit-access.io/integration`,
 * with permissions, an owner and tags of their choosing: such an entity is requestable only when
 * the provisioner it names accepts it here (or the operator does, in `access.trust`).
 *
 * An entity is accepted when its ref matches one of `resourceRefs` or its namespace is one of
 * `namespaces`, and, when `resourceTypes` is given, its type is one of them. Without
 * `resourceRefs` and `namespaces` nothing is accepted: an entity chooses its own type, so types
 * only narrow.
 */
export interface CatalogAcceptance {
  /**
   * Refs (`resource:default/payments-db`) or patterns, where `*` stands for any characters
   * within one part of the ref (`resource:payments/*`). Compared without regard to case; see
   * `resourceRefMatches`.
   */
  resourceRefs?: string[];
  /** Catalog namespaces whose entities it accepts (lower case). */
  namespaces?: string[];
  /** Narrows the entities accepted by ref or namespace to these types. */
  resourceTypes?: string[];
}

/** What a provisioner serves: limits on everything it grants, and what it takes from the catalog. */
export interface ProvisionerServes {
  /** The only resource types it serves, wherever a resource comes from (absent: all). */
  resourceTypes?: string[];
  /** The only permissions it serves (absent: all). */
  permissions?: string[];
  /**
   * The catalog entities it accepts (absent: none). Resources in the operator's
   * `access.resources` and those it offers from `discover` need no acceptance.
   */
  catalog?: CatalogAcceptance;
}

/**
 * Grants and revokes access in one target system. Both operations must be idempotent: a retried
 * grant, or a revoke of access that is already gone, succeeds.
 */
export interface AccessProvisioner {
  /** Matches the `jit-access.io/integration` (or config `integration`) of the resources it serves. */
  id: string;
  /** A human name for pages and logs; defaults to the id. */
  title?: string;
  /**
   * What it serves: the resource types and permissions it grants (absent: all; requests for
   * anything else are refused when submitted, or failed before the call), and which catalog
   * entities it accepts (`catalog`; absent: none, so only resources from the access config and
   * from its own `discover` are granted through it).
   */
  serves?: ProvisionerServes;
  /**
   * `shared` (default): the access is one thing per person, resource and permission (a group
   * membership, a role binding), so while another live grant covers it, revoking one grant leaves
   * it in place. `independent`: every grant creates its own access (a temporary login), revoked
   * on its own.
   */
  overlap?: 'shared' | 'independent';
  grant(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<GrantResult | void>;
  revoke(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<RevokeResult | void>;
  /**
   * Moves the end of live access in the target system (a login's expiry, say) to `target.endsAt`
   * when a grant is extended. Absent: the access plugin alone keeps the end.
   */
  extend?(target: ProvisioningTarget, ctx: ProvisioningContext): Promise<void>;
  /** What access exists now, so reconciliation can compare it with the database. */
  observe?(
    ctx: Omit<ProvisioningContext, 'idempotencyKey'>,
  ): Promise<ObservedAccess[]>;
  /** Resources this provisioner can offer. */
  discover?(
    ctx: Omit<ProvisioningContext, 'idempotencyKey'>,
  ): Promise<DiscoveredResource[]>;
  /** Issues new credentials for a live grant (the old ones stop working). */
  resetCredentials?(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<AccessCredentials>;
}
