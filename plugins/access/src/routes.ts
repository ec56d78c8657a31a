import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The access pages (conventionally mounted at `/access`). */
export const rootRouteRef = createRouteRef({
  id: 'access',
});

/** One request's page, the target of every notification link. */
export const requestRouteRef = createSubRouteRef({
  id: 'access/request',
  parent: rootRouteRef,
  path: '/requests/:id',
});

/** The New Request page; `?resource=<entity ref>` preselects a resource. */
export const newRequestRouteRef = createSubRouteRef({
  id: 'access/new',
  parent: rootRouteRef,
  path: '/new',
});

/** Paths of the pages inside the access page, relative to where it is mounted. */
export const ACCESS_PATHS = {
  myAccess: '/',
  newRequest: '/new',
  requests: '/requests',
  request: '/requests/:id',
  delegated: '/delegated',
  approvals: '/approvals',
  admin: '/admin',
} as const;
