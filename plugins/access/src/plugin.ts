import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { accessApiRef, AccessClient } from './api';
import { newRequestRouteRef, requestRouteRef, rootRouteRef } from './routes';

export const accessPlugin = createPlugin({
  id: 'access',
  routes: {
    root: rootRouteRef,
    request: requestRouteRef,
    newRequest: newRequestRouteRef,
  },
  apis: [
    createApiFactory({
      api: accessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AccessClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** The access plugin's pages, mounted by the app (conventionally at `/access`). */
export const AccessPage = accessPlugin.provide(
  createRoutableExtension({
    name: 'AccessPage',
    component: () => import('./components/AccessPage').then(m => m.AccessPage),
    mountPoint: rootRouteRef,
  }),
);

/** A card for catalog entity pages: what can be requested on the entity, and who holds it. */
export const EntityAccessCard: () => JSX.Element = accessPlugin.provide(
  createComponentExtension({
    name: 'EntityAccessCard',
    component: {
      lazy: () =>
        import('./components/EntityAccessCard').then(m => m.EntityAccessCard),
    },
  }),
);
