/** Favorites: requests saved under a name, to be asked for again in one step. */
import { accessRequestCreatePermission } from '@jit-access/plugin-access-common';
import { z } from 'zod';
import {
  favoriteSchema,
  resubmissionSchema,
} from '../../requests/submissionSchema';
import { pageQuerySchema } from '../pagination';
import { channelOf } from '../requestChannel';
import { RouteModule } from '../routeContext';
import { parseInput } from '../../lib/validation';

const favoriteIdSchema = z.string().uuid('not a favorite id');

export const addFavoriteRoutes: RouteModule = (
  router,
  { favorites, caller, requester, audited, limited },
) => {
  router.get('/favorites', async (req, res) => {
    const me = await caller(req);
    const { limit, cursor } = parseInput(
      pageQuerySchema.strict(),
      req.query,
      'query',
    );
    res.json(await favorites.list(me, limit, cursor));
  });

  router.post('/favorites', async (req, res) => {
    const me = await caller(req);
    const { requestId, name } = parseInput(
      favoriteSchema,
      req.body,
      'favorite',
    );
    res.status(201).json(await favorites.save(me, requestId, name));
  });

  router.delete('/favorites/:id', async (req, res) => {
    const me = await caller(req);
    await favorites.remove(
      me,
      parseInput(favoriteIdSchema, req.params.id, 'favorite id'),
    );
    res.status(204).end();
  });

  router.post('/favorites/:id/request', async (req, res) => {
    const me = await requester(req, {
      requires: accessRequestCreatePermission,
    });
    await limited(res, 'submissions', me.userEntityRef);
    const id = parseInput(favoriteIdSchema, req.params.id, 'favorite id');
    const changes = parseInput(
      resubmissionSchema,
      req.body ?? {},
      'request from favorite',
    );
    res
      .status(201)
      .json(
        await audited(req, 'request-submit', 'medium', { favoriteId: id }, () =>
          favorites.request(me, id, changes, channelOf(req)),
        ),
      );
  });
};
