/**
 * Requests and their decisions: asking (and asking again), reading one or a list, approving or
 * rejecting, cancelling, revoking and extending; and feedback on a justification while it is
 * being written.
 */
import {
  accessGrantRevokePermission,
  accessRequestApprovePermission,
  accessRequestCreatePermission,
  JustificationFeedbackQuery,
  ListRequestsOptions,
  REQUEST_STATUSES,
} from '@jit-access/plugin-access-common';
import { z } from 'zod';
import { scoreJustification } from '../../justification/justificationFeedback';
import { Equal, Expect } from '../../lib/sameType';
import {
  decisionSchema,
  extensionSchema,
  resubmissionSchema,
  submissionSchema,
} from '../../requests/submissionSchema';
import { pageQuerySchema } from '../pagination';
import { channelOf } from '../requestChannel';
import { RouteModule } from '../routeContext';
import { parseInput } from '../../lib/validation';

const listQuerySchema = pageQuerySchema
  .extend({
    view: z.enum(['mine', 'delegated', 'approver', 'all']).default('mine'),
    q: z.string().trim().max(200, 'q is at most 200 characters').optional(),
    status: z
      .string()
      .max(500)
      .optional()
      .transform(s =>
        s
          ? s
              .split(',')
              .map(x => x.trim())
              .filter(Boolean)
          : undefined,
      )
      .pipe(z.array(z.enum(REQUEST_STATUSES)).optional()),
  })
  .strict();

const idSchema = z.string().uuid('not a request id');

const feedbackSchema = z
  .object({
    text: z.string().max(4000),
    ticket: z
      .object({
        type: z.string().max(64).optional(),
        id: z.string().max(255).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Fails compilation when these schemas and the common package's wire types drift apart. */
export type RequestSchemasMatchWire = [
  Expect<Equal<Partial<z.output<typeof listQuerySchema>>, ListRequestsOptions>>,
  Expect<Equal<z.output<typeof feedbackSchema>, JustificationFeedbackQuery>>,
];

export const addRequestRoutes: RouteModule = (
  router,
  { requests, caller, requester, reader, audited, limited },
) => {
  router.post('/requests', async (req, res) => {
    const me = await requester(req, {
      requires: accessRequestCreatePermission,
    });
    await limited(res, 'submissions', me.userEntityRef);
    const submission = parseInput(submissionSchema, req.body, 'request');
    res
      .status(201)
      .json(
        await audited(req, 'request-submit', 'medium', {}, () =>
          requests.submit(me, submission, channelOf(req)),
        ),
      );
  });

  router.post('/requests/:id/request-again', async (req, res) => {
    const me = await requester(req, {
      requires: accessRequestCreatePermission,
    });
    await limited(res, 'submissions', me.userEntityRef);
    const id = parseInput(idSchema, req.params.id, 'request id');
    const changes = parseInput(
      resubmissionSchema,
      req.body ?? {},
      'request again',
    );
    res
      .status(201)
      .json(
        await audited(req, 'request-submit', 'medium', { againOf: id }, () =>
          requests.requestAgain(me, id, changes, channelOf(req)),
        ),
      );
  });

  router.get('/requests', async (req, res) => {
    // Only the view of everyone's requests depends on being an admin: the others skip that check.
    const me = await reader(req, { admin: req.query.view === 'all' });
    const query = parseInput(listQuerySchema, req.query, 'query');
    res.json(await requests.list(me, { ...query, statuses: query.status }));
  });

  router.get('/requests/:id', async (req, res) => {
    const me = await reader(req);
    res.json(
      await requests.get(me, parseInput(idSchema, req.params.id, 'request id')),
    );
  });

  for (const decision of ['approve', 'reject'] as const) {
    router.post(`/requests/:id/${decision}`, async (req, res) => {
      const me = await caller(req, {
        requires: accessRequestApprovePermission,
      });
      await limited(res, 'decisions', me.userEntityRef);
      const id = parseInput(idSchema, req.params.id, 'request id');
      const { reason } = parseInput(decisionSchema, req.body ?? {}, decision);
      res.json(
        await audited(
          req,
          'request-decide',
          'high',
          { requestId: id, decision },
          () => requests.decide(me, id, decision, reason),
        ),
      );
    });
  }

  router.post('/requests/:id/cancel', async (req, res) => {
    const me = await caller(req);
    const id = parseInput(idSchema, req.params.id, 'request id');
    const { reason } = parseInput(decisionSchema, req.body ?? {}, 'cancel');
    res.json(
      await audited(req, 'request-cancel', 'low', { requestId: id }, () =>
        requests.cancel(me, id, reason),
      ),
    );
  });

  router.post('/requests/:id/revoke', async (req, res) => {
    const me = await caller(req, { requires: accessGrantRevokePermission });
    const id = parseInput(idSchema, req.params.id, 'request id');
    const { reason } = parseInput(decisionSchema, req.body ?? {}, 'revoke');
    res.json(
      await audited(req, 'grant-revoke', 'high', { requestId: id }, () =>
        requests.revoke(me, id, reason),
      ),
    );
  });

  router.post('/requests/:id/extend', async (req, res) => {
    const me = await caller(req);
    await limited(res, 'submissions', me.userEntityRef);
    const id = parseInput(idSchema, req.params.id, 'request id');
    const ask = parseInput(extensionSchema, req.body ?? {}, 'extension');
    res.json(
      await audited(req, 'grant-extend', 'medium', { requestId: id }, () =>
        requests.extend(me, id, ask),
      ),
    );
  });

  router.post('/justification/feedback', async (req, res) => {
    await caller(req, { admin: false });
    const { text, ticket } = parseInput(
      feedbackSchema,
      req.body,
      'justification feedback',
    );
    res.json(scoreJustification(text, ticket));
  });
};
