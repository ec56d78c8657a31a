/** What can be asked for: resources, bundles, and the flows that match a choice of items. */
import {
  FlowMatchQuery,
  ListResourcesOptions,
} from '@jit-access/plugin-access-common';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../lib/cursors';
import { Equal, Expect } from '../../lib/sameType';
import {
  itemSchema,
  MAX_ITEMS_PER_SUBMISSION,
} from '../../requests/submissionSchema';
import { pageQuerySchema } from '../pagination';
import { RouteModule } from '../routeContext';
import { parseInput } from '../../lib/validation';

const resourceQuerySchema = pageQuerySchema
  .extend({
    q: z.string().max(200).optional(),
    type: z.string().max(100).optional(),
    permission: z.string().max(100).optional(),
    integration: z.string().max(100).optional(),
    owner: z.string().max(255).optional(),
  })
  .strict();

const bundleCursorSchema = z.object({ id: z.string() });

const matchSchema = z
  .object({
    items: z.array(itemSchema).min(1).max(MAX_ITEMS_PER_SUBMISSION),
    granteeRef: z.string().min(1).max(255).optional(),
  })
  .strict();

/** Fails compilation when these schemas and the common package's wire types drift apart. */
export type ResourceSchemasMatchWire = [
  Expect<
    Equal<Partial<z.output<typeof resourceQuerySchema>>, ListResourcesOptions>
  >,
  Expect<Equal<z.output<typeof matchSchema>, FlowMatchQuery>>,
];

export const addResourceRoutes: RouteModule = (
  router,
  { resources, bundles, requests, caller, requester },
) => {
  router.get('/resources', async (req, res) => {
    await caller(req, { admin: false });
    const query = parseInput(resourceQuerySchema, req.query, 'query');
    res.json(await resources.search(query));
  });

  router.get('/bundles', async (req, res) => {
    await caller(req, { admin: false });
    const { limit, cursor } = parseInput(
      pageQuerySchema.strict(),
      req.query,
      'query',
    );
    const after = cursor
      ? decodeCursor(cursor, bundleCursorSchema).id
      : undefined;
    const sorted = [...bundles]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .filter(b => !after || b.id > after);
    const items = sorted.slice(0, limit);
    res.json({
      items,
      nextCursor:
        sorted.length > limit
          ? encodeCursor({ id: items[items.length - 1].id })
          : undefined,
    });
  });

  router.post('/flows/match', async (req, res) => {
    const me = await requester(req);
    const body = parseInput(matchSchema, req.body, 'flow match');
    res.json(await requests.matchFlows(me, body.items, body.granteeRef));
  });
};
