import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { accessApiRef, AccessClient } from './api';
import { rootRouteRef } from './routes';

export const accessPlugin = createPlugin({
  id: 'access',
  routes: {
    root: rootRouteRef,
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
