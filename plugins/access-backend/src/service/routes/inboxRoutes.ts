/** The approver's inbox: the requests waiting on the caller's decision, or decided by them. */
import { InboxOptions } from '@jit-access/plugin-access-common';
import { z } from 'zod';
import { Equal, Expect } from '../../lib/sameType';
import { pageQuerySchema } from '../pagination';
import { RouteModule } from '../routeContext';
import { parseInput } from '../../lib/validation';

const inboxQuerySchema = pageQuerySchema
  .extend({ state: z.enum(['pending', 'decided']).default('pending') })
  .strict();

/** Fails compilation when this schema and the common package's wire type drift apart. */
export type InboxSchemasMatchWire = Expect<
  Equal<Partial<z.output<typeof inboxQuerySchema>>, InboxOptions>
>;

export const addInboxRoutes: RouteModule = (router, { requests, reader }) => {
  router.get('/inbox', async (req, res) => {
    const me = await reader(req, { admin: false });
    const query = parseInput(inboxQuerySchema, req.query, 'query');
    res.json(await requests.inbox(me, query));
  });
};
