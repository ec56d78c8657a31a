import { ProvisioningTarget } from '@jit-access/plugin-access-node';
import { GrantRow } from '../database/grants/grantRow';
import { readOptionalDate } from '../lib/dates';

/** What a target needs of the grant's request (a row of access_requests). */
export interface TargetRequest {
  grantee_ref: string;
  starts_at?: Date | number | null;
  ends_at?: Date | number | null;
}

/**
 * What a provisioner is told about one grant: its access starts at the request's scheduled
 * start, else at `accessStart` (an extension chain's start) when the caller knows it, else when it
 * was granted, else now; it ends at `endsAt` when given (a new end), else at the request's end.
 */
export function provisioningTarget(
  grant: GrantRow,
  request: TargetRequest | undefined,
  options: {
    now: Date;
    resourceType?: string;
    accessStart?: Date;
    endsAt?: Date;
  },
): ProvisioningTarget {
  const startsAt =
    readOptionalDate(request?.starts_at) ??
    options.accessStart ??
    readOptionalDate(grant.granted_at) ??
    options.now;
  const endsAt =
    options.endsAt ?? readOptionalDate(request?.ends_at) ?? startsAt;
  return {
    grantId: grant.id,
    requestId: grant.request_id,
    resourceRef: grant.resource_ref,
    ...(options.resourceType ? { resourceType: options.resourceType } : {}),
    permission: grant.permission,
    granteeRef: request?.grantee_ref ?? grant.grantee_ref ?? '',
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    ...(grant.external_id ? { externalId: grant.external_id } : {}),
  };
}
