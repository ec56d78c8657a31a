import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  ACCESS_REQUEST_RESOURCE_TYPE,
  AccessRequest,
  REQUEST_STATUSES,
  RequestStatus,
} from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { z } from 'zod';

/** A condition on requests as the store filters them: a column (or the approvers) in a set. */
export interface RequestFilter {
  property: 'requester_ref' | 'grantee_ref' | 'status' | 'approver';
  values: string[];
}

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

/** Narrows a query on access_requests by a permission policy's conditions. */
export function applyRequestFilter(
  db: Knex,
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<RequestFilter>,
): void {
  if ('allOf' in criteria) {
    query.where(all => {
      for (const part of criteria.allOf) {
        all.andWhere(inner => applyRequestFilter(db, inner, part));
      }
    });
  } else if ('anyOf' in criteria) {
    query.where(any => {
      for (const part of criteria.anyOf) {
        any.orWhere(inner => applyRequestFilter(db, inner, part));
      }
    });
  } else if ('not' in criteria) {
    query.whereNot(inner => applyRequestFilter(db, inner, criteria.not));
  } else if (criteria.property === 'approver') {
    query.whereIn(
      'access_requests.id',
      db('access_request_approvers')
        .select('request_id')
        .whereIn('approver_ref', criteria.values),
    );
  } else {
    query.whereIn(`access_requests.${criteria.property}`, criteria.values);
  }
}
