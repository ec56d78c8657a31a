/** The credentials a grant issued: shown to their holder once asked, or reset. */
import { z } from 'zod';
import { RouteModule } from '../routeContext';
import { parseInput } from '../../lib/validation';

const grantIdSchema = z.string().uuid('not a grant id');

export const addCredentialRoutes: RouteModule = (
  router,
  { credentials, caller, audited },
) => {
  router.post('/grants/:id/credentials/reveal', async (req, res) => {
    const me = await caller(req);
    const id = parseInput(grantIdSchema, req.params.id, 'grant id');
    res.json(
      await audited(req, 'credentials-reveal', 'high', { grantId: id }, () =>
        credentials.reveal(me, id),
      ),
    );
  });

  router.post('/grants/:id/credentials/reset', async (req, res) => {
    const me = await caller(req);
    const id = parseInput(grantIdSchema, req.params.id, 'grant id');
    res.json(
      await audited(req, 'credentials-reset', 'high', { grantId: id }, () =>
        credentials.reset(me, id),
      ),
    );
  });
};
