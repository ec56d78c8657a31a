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
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import { accessApiRef, AccessClient } from './api';
import { isAccessRequestable } from './components/EntityAccessCard/isAccessRequestable';
import { newRequestRouteRef, requestRouteRef, rootRouteRef } from './routes';
import { accessTranslationRef } from './translation';

export { accessTranslationRef };

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

/**
 * The access pages at `/access`, with their own tabs and sub-routes. The title and icon make the
 * app's sidebar show an "Access" item (apps list only pages that have both).
 */
export const accessPage = PageBlueprint.make({
  params: {
    path: '/access',
    title: accessTranslationRef('accessPage.title'),
    icon: <LockOpenIcon />,
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

/**
 * An "Access" tab on requestable catalog entities, showing the same card. Off by default (the
 * card is on the overview already); enable it with `- entity-content:access: true` in
 * `app.extensions`.
 */
export const entityAccessContent = EntityContentBlueprint.make({
  name: 'access',
  disabled: true,
  params: {
    path: '/access',
    title: accessTranslationRef('entityCard.tabTitle'),
    filter: isAccessRequestable,
    loader: () =>
      import('./components/EntityAccessCard').then(m => <m.EntityAccessCard />),
  },
});

export default createFrontendPlugin({
  pluginId: 'access',
  title: 'Access',
  icon: <LockOpenIcon />,
  routes: {
    root: rootRouteRef,
    request: requestRouteRef,
    newRequest: newRequestRouteRef,
  },
  extensions: [accessApi, accessPage, entityAccessCard, entityAccessContent],
});
