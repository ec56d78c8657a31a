import { ProvisioningTarget } from '@jit-access/plugin-access-node';
import { GrantRecord } from '../database/grants/GrantStore';

/** What a target needs of the grant's request. */
export interface TargetRequest {
  granteeRef: string;
  startsAt?: Date;
  endsAt?: Date;
}

/**
 * What a provisioner is told about one grant: its access starts at the request's scheduled
 * start, else at `accessStart` (an extension chain's start) when the caller knows it, else when it
 * was granted, else now; it ends at `endsAt` when given (a new end), else at the request's end.
 */
export function provisioningTarget(
  grant: GrantRecord,
  request: TargetRequest | undefined,
  options: {
    now: Date;
    resourceType?: string;
    accessStart?: Date;
    endsAt?: Date;
  },
): ProvisioningTarget {
  const startsAt =
    request?.startsAt ?? options.accessStart ?? grant.grantedAt ?? options.now;
  const endsAt = options.endsAt ?? request?.endsAt ?? startsAt;
  return {
    grantId: grant.id,
    requestId: grant.requestId,
    resourceRef: grant.resourceRef,
    ...(options.resourceType ? { resourceType: options.resourceType } : {}),
    permission: grant.permission,
    granteeRef: request?.granteeRef ?? grant.granteeRef ?? '',
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    ...(grant.externalId ? { externalId: grant.externalId } : {}),
  };
}
