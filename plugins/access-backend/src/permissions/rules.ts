import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  ACCESS_REQUEST_RESOURCE_TYPE,
  AccessRequest,
  REQUEST_STATUSES,
  RequestStatus,
} from '@jit-access/plugin-access-common';
import { z } from 'zod';
import { RequestFilter } from '../database/requests/requestFilters';

// The filter type is part of the package's API (for permission policies).
export type { RequestFilter };

export const accessRequestResourceRef = createPermissionResourceRef<
  AccessRequest,
  RequestFilter
>().with({ pluginId: 'access', resourceType: ACCESS_REQUEST_RESOURCE_TYPE });

type ResourceRef = typeof accessRequestResourceRef;

const claimsSchema = z.object({
  claims: z
    .array(z.string())
    .describe(
      'User refs or ownership claims, e.g. the caller’s ownershipEntityRefs',
    ),
});

// Zod 3 schemas, as Backstage's own rules use; typed loosely because checking them against the
// Standard Schema overloads of createPermissionRule makes the compiler run out of memory.
const statusesSchema = z.object({
  statuses: z.array(z.enum(REQUEST_STATUSES)),
});

const isRequester = createPermissionRule<ResourceRef, { claims: string[] }>({
  name: 'IS_REQUESTER',
  description: 'Allow requests made by one of the given users',
  resourceRef: accessRequestResourceRef,
  paramsSchema: claimsSchema as any,
  apply: (request, { claims }) => claims.includes(request.requesterRef),
  toQuery: ({ claims }) => ({ property: 'requester_ref', values: claims }),
});

const isGrantee = createPermissionRule<ResourceRef, { claims: string[] }>({
  name: 'IS_GRANTEE',
  description: 'Allow requests for access given to one of the given users',
  resourceRef: accessRequestResourceRef,
  paramsSchema: claimsSchema as any,
  apply: (request, { claims }) => claims.includes(request.granteeRef),
  toQuery: ({ claims }) => ({ property: 'grantee_ref', values: claims }),
});

const isApprover = createPermissionRule<ResourceRef, { claims: string[] }>({
  name: 'IS_APPROVER',
  description: 'Allow requests one of the given users may decide, at any stage',
  resourceRef: accessRequestResourceRef,
  paramsSchema: claimsSchema as any,
  apply: (request, { claims }) =>
    request.approvers.some(a => claims.includes(a.entityRef)),
  toQuery: ({ claims }) => ({ property: 'approver', values: claims }),
});

const hasStatus = createPermissionRule<
  ResourceRef,
  { statuses: RequestStatus[] }
>({
  name: 'HAS_STATUS',
  description: 'Allow requests in one of the given statuses',
  resourceRef: accessRequestResourceRef,
  paramsSchema: statusesSchema as any,
  apply: (request, { statuses }) => statuses.includes(request.status),
  toQuery: ({ statuses }) => ({ property: 'status', values: statuses }),
});

export const accessRequestRules = {
  isRequester,
  isGrantee,
  isApprover,
  hasStatus,
};

/** For permission policies: `accessRequestConditions.isApprover({ claims })` and friends. */
export const {
  conditions: accessRequestConditions,
  createConditionalDecision: createAccessRequestConditionalDecision,
} = createConditionExports({
  resourceRef: accessRequestResourceRef,
  rules: accessRequestRules,
});
