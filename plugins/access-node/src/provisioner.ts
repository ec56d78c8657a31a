import { LoggerService } from '@backstage/backend-plugin-api';

/** What a provisioner is asked to grant or revoke: one (resource, permission) for one person. */
export interface ProvisioningTarget {
  /** Id of the grant (request item) in the access plugin's database. */
  grantId: string;
  requestId: string;
  /** Entity ref of the resource, e.g. `resource:default/payments-db`. */
  resourceRef: string;
  permission: string;
  /** Entity ref of the person who receives the access. */
  granteeRef: string;
  startsAt: string;
  endsAt: string;
}

/** Passed to every provisioner call. */
export interface ProvisioningContext {
  signal: AbortSignal;
  logger: LoggerService;
  /** Stable per grant and action: a retried call carries the same key. */
  idempotencyKey: string;
}

export interface GrantResult {
  /** The target system's id of what was created, kept to revoke and reconcile it. */
  externalId?: string;
}

/** Access that exists in the target system right now, as reported for reconciliation. */
export interface ObservedAccess {
  resourceRef: string;
  permission: string;
  granteeRef: string;
  externalId?: string;
}

/**
 * Grants and revokes access in one target system. Both operations must be idempotent: a retried
 * grant, or a revoke of access that is already gone, succeeds.
 */
export interface AccessProvisioner {
  /** Matches the `jit-access.io/integration` of the resources it serves. */
  id: string;
  grant(
    target: ProvisioningTarget,
    ctx: ProvisioningContext,
  ): Promise<GrantResult>;
  revoke(target: ProvisioningTarget, ctx: ProvisioningContext): Promise<void>;
  /** What access exists now, so reconciliation can compare it with the database. */
  observe?(
    ctx: Omit<ProvisioningContext, 'idempotencyKey'>,
  ): Promise<ObservedAccess[]>;
}
