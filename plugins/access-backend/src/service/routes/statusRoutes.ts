/** Whether the service is up, and who the caller is to it. */
import {
  CallerIdentity,
  HealthResponse,
} from '@jit-access/plugin-access-common';
import { RouteModule } from '../routeContext';

export const addStatusRoutes: RouteModule = (router, { store, requester }) => {
  // Unauthenticated (see the plugin's auth policy): load balancers and scripts probe it.
  router.get('/health', async (_req, res) => {
    await store.ping();
    const body: HealthResponse = { status: 'ok' };
    res.json(body);
  });

  router.get('/me', async (req, res) => {
    const { userEntityRef, ownershipEntityRefs, isAdmin } = await requester(
      req,
    );
    const body: CallerIdentity = {
      userEntityRef,
      ownershipEntityRefs,
      isAdmin,
    };
    res.json(body);
  });
};
