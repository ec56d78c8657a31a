/** Fulfilment: the manual tasks of provisioning, done by people and marked complete. */
import { ListTasksOptions } from '@jit-access/plugin-access-common';
import { z } from 'zod';
import { Equal, Expect } from '../../lib/sameType';
import { taskCompletionSchema } from '../../requests/submissionSchema';
import { pageQuerySchema } from '../pagination';
import { RouteModule } from '../routeContext';
import { parseInput } from '../../lib/validation';

const taskIdSchema = z.string().uuid('not a task id');
const taskQuerySchema = pageQuerySchema
  .extend({ state: z.enum(['open', 'done']).default('open') })
  .strict();

/** Fails compilation when this schema and the common package's wire type drift apart. */
export type TaskSchemasMatchWire = Expect<
  Equal<Partial<z.output<typeof taskQuerySchema>>, ListTasksOptions>
>;

export const addFulfilmentRoutes: RouteModule = (
  router,
  { fulfilment, requester, audited },
) => {
  router.get('/tasks', async (req, res) => {
    const me = await requester(req);
    const query = parseInput(taskQuerySchema, req.query, 'query');
    res.json(await fulfilment.list(me, query));
  });

  router.post('/tasks/:id/complete', async (req, res) => {
    const me = await requester(req);
    const id = parseInput(taskIdSchema, req.params.id, 'task id');
    const { note } = parseInput(
      taskCompletionSchema,
      req.body ?? {},
      'task completion',
    );
    res.json(
      await audited(req, 'fulfilment-complete', 'high', { taskId: id }, () =>
        fulfilment.complete(me, id, note),
      ),
    );
  });
};
