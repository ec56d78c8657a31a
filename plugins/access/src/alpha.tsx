/**
 * The access plugin for Backstage's new frontend system.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { accessApiRef, AccessClient } from './api';
import { isAccessRequestable } from './components/EntityAccessCard/isAccessRequestable';
import { newRequestRouteRef, requestRouteRef, rootRouteRef } from './routes';

/** The AccessApi, talking to the access backend. */
export const accessApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: accessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AccessClient({ discoveryApi, fetchApi }),
    }),
});

/** The access pages at `/access`, with their own tabs and sub-routes. */
export const accessPage = PageBlueprint.make({
  params: {
    path: '/access',
    title: 'Access',
    routeRef: rootRouteRef,
    // The page draws its own header and tabs.
    noHeader: true,
    loader: () => import('./components/AccessPage').then(m => <m.AccessPage />),
  },
});

/** The card for requestable catalog entities. */
export const entityAccessCard = EntityCardBlueprint.make({
  name: 'access',
  params: {
    filter: isAccessRequestable,
    loader: () =>
      import('./components/EntityAccessCard').then(m => <m.EntityAccessCard />),
  },
});

export default createFrontendPlugin({
  pluginId: 'access',
  title: 'Access',
  routes: {
    root: rootRouteRef,
    request: requestRouteRef,
    newRequest: newRequestRouteRef,
  },
  extensions: [accessApi, accessPage, entityAccessCard],
});
