import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';

/** A condition on requests as the store filters them: a column (or the approvers) in a set. */
export interface RequestFilter {
  property: 'requester_ref' | 'grantee_ref' | 'status' | 'approver';
  values: string[];
}

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
