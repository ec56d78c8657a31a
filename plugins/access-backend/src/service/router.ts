import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { RateLimitedAction } from '../config/rateLimitsConfig';
import { TooManyRequestsError, UserRateLimits } from './rateLimits';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  AccessBundle,
  accessAdminPermission,
  accessGrantRevokePermission,
  accessRequestApprovePermission,
  accessRequestCreatePermission,
  accessRequestReadPermission,
  AccessRequest,
  AuditVerification,
  CallerIdentity,
  FlowMatchQuery,
  HealthResponse,
  InboxOptions,
  JustificationFeedbackQuery,
  ListRequestsOptions,
  ListResourcesOptions,
  ListTasksOptions,
  REQUEST_STATUSES,
} from '@jit-access/plugin-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  auditVerifyQuerySchema,
  formatAuditAnchor,
} from '../audit/auditAnchor';
import { accessRequestRules, RequestFilter } from '../permissions/rules';
import { scoreJustification } from '../justification/justificationFeedback';
import { AccessDatabase } from '../database/AccessDatabase';
import type { AuditStore } from '../database/audit';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import {
  Caller,
  RequestingCaller,
  RequestService,
} from '../requests/RequestService';
import { FavoriteService } from '../favorites/FavoriteService';
import { CredentialService } from '../engine/CredentialService';
import { FulfilmentService } from '../fulfilment/FulfilmentService';
import { Reconciler } from '../reconcile/Reconciler';
import {
  decisionSchema,
  extensionSchema,
  favoriteSchema,
  taskCompletionSchema,
  resubmissionSchema,
  itemSchema,
  MAX_ITEMS_PER_SUBMISSION,
  submissionSchema,
} from '../requests/submissionSchema';
import { decodeCursor, encodeCursor } from '../database/cursors';
import { Equal, Expect } from '../lib/sameType';
import { pageQuerySchema } from './pagination';
import { parseInput } from './validation';

export interface RouterOptions {
  /** Per-user limits on submissions and decisions. */
  rateLimits: UserRateLimits;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  store: AccessDatabase;
  resources: ResourceCatalog;
  bundles: AccessBundle[];
  requests: RequestService;
  favorites: FavoriteService;
  credentials: CredentialService;
  fulfilment: FulfilmentService;
  reconciler: Reconciler;
  auditor: AuditorService;
}

const resourceQuerySchema = pageQuerySchema
  .extend({
    q: z.string().max(200).optional(),
    type: z.string().max(100).optional(),
    permission: z.string().max(100).optional(),
    integration: z.string().max(100).optional(),
    owner: z.string().max(255).optional(),
  })
  .strict();

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

const inboxQuerySchema = pageQuerySchema
  .extend({ state: z.enum(['pending', 'decided']).default('pending') })
  .strict();

const matchSchema = z
  .object({
    items: z.array(itemSchema).min(1).max(MAX_ITEMS_PER_SUBMISSION),
    granteeRef: z.string().min(1).max(255).optional(),
  })
  .strict();

const idSchema = z.string().uuid('not a request id');
const bundleCursorSchema = z.object({ id: z.string() });

const toRequestFilter: ConditionTransformer<RequestFilter> =
  createConditionTransformer(Object.values(accessRequestRules));
const isReadable = createConditionAuthorizer<AccessRequest, RequestFilter>(
  Object.values(accessRequestRules),
);
const favoriteIdSchema = z.string().uuid('not a favorite id');
const grantIdSchema = z.string().uuid('not a grant id');
const taskIdSchema = z.string().uuid('not a task id');
const taskQuerySchema = pageQuerySchema
  .extend({ state: z.enum(['open', 'done']).default('open') })
  .strict();

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

// The query and body schemas accept exactly the wire types of the common package (queries
// once their defaults are filled in); these fail compilation when the two drift apart.
export type RouterSchemasMatchWire = [
  Expect<
    Equal<Partial<z.output<typeof resourceQuerySchema>>, ListResourcesOptions>
  >,
  Expect<Equal<Partial<z.output<typeof listQuerySchema>>, ListRequestsOptions>>,
  Expect<Equal<Partial<z.output<typeof inboxQuerySchema>>, InboxOptions>>,
  Expect<Equal<Partial<z.output<typeof taskQuerySchema>>, ListTasksOptions>>,
  Expect<Equal<z.output<typeof matchSchema>, FlowMatchQuery>>,
  Expect<Equal<z.output<typeof feedbackSchema>, JustificationFeedbackQuery>>,
  Expect<Equal<Awaited<ReturnType<AuditStore['verify']>>, AuditVerification>>,
];

/** What a route needs to know of its caller besides who they are. */
interface CallerWants {
  /** The permission policy's conditions on reading requests. */
  reads?: boolean;
  /** A permission the route requires (403 without it). */
  requires?: BasicPermission;
  /** false: the route never needs to know whether the caller administers access. */
  admin?: boolean;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    userInfo,
    permissions,
    store,
    resources,
    bundles,
    requests,
    favorites,
    auditor,
    rateLimits,
  } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  /**
   * The signed-in user behind the request (decisions are for users only, never services), with
   * what the permission policy allows them and whatever `more` reads from the credentials; the
   * permission decisions and `more` are asked for at once.
   */
  const identify = async <More extends object>(
    req: express.Request,
    wants: CallerWants,
    more: (
      credentials: BackstageCredentials<BackstageUserPrincipal>,
    ) => Promise<More>,
  ): Promise<Caller & More & { credentials: BackstageCredentials }> => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const asksAdmin = wants.admin !== false;
    const basics = [
      ...(asksAdmin ? [accessAdminPermission] : []),
      ...(wants.requires ? [wants.requires] : []),
    ];
    const [extra, decisions, [read]] = await Promise.all([
      more(credentials),
      basics.length > 0
        ? permissions.authorize(
            basics.map(permission => ({ permission })),
            { credentials },
          )
        : [],

      wants.reads
        ? permissions.authorizeConditional(
            [{ permission: accessRequestReadPermission }],
            { credentials },
          )
        : [undefined],
    ]);
    const admin = asksAdmin ? decisions[0] : undefined;
    const required = decisions[asksAdmin ? 1 : 0];
    if (required && required.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You lack the ${wants.requires!.name} permission`,
      );
    }
    if (read?.result === AuthorizeResult.DENY) {
      throw new NotAllowedError('You lack the access.request.read permission');
    }
    return {
      ...extra,
      credentials,
      userEntityRef: credentials.principal.userEntityRef,
      ...(credentials.principal.actor
        ? { actor: credentials.principal.actor.subject }
        : {}),
      isAdmin: admin?.result === AuthorizeResult.ALLOW,
      ...(read?.result === AuthorizeResult.CONDITIONAL
        ? {
            readPolicy: {
              filter: toRequestFilter(read.conditions),
              allows: (request: AccessRequest) => isReadable(read, request),
            },
          }
        : {}),
    };
  };

  /** A caller, for routes that need only who they are and what they may do. */
  const caller = (req: express.Request, wants: CallerWants = {}) =>
    identify(req, wants, async () => ({}));

  /**
   * A caller with every ref they act for (their groups), for the routes that match flows or
   * assign work by group. The user info service may ask the auth backend for these, so the
   * other routes (the lists among them) do without.
   */
  const requester = (
    req: express.Request,
    wants: CallerWants = {},
  ): Promise<RequestingCaller & { credentials: BackstageCredentials }> =>
    identify(req, wants, async credentials => ({
      ownershipEntityRefs: (await userInfo.getUserInfo(credentials))
        .ownershipEntityRefs,
    }));

  /** A caller who reads requests, within what the permission policy lets them read. */
  const reader = (req: express.Request, also: { admin?: boolean } = {}) =>
    caller(req, { reads: true, ...also });

  /** Runs a change as a Backstage audit event (besides the plugin's own hash-chained log). */
  const audited = async <T>(
    req: express.Request,
    eventId: string,
    severityLevel: AuditorServiceEventSeverityLevel,
    meta: Record<string, string>,
    change: () => Promise<T>,
  ): Promise<T> => {
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
      meta,
    });
    try {
      const result = await change();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  };

  /** Counts one action against the caller's limit; past it, a 429 with Retry-After. */
  const limited = async (
    res: express.Response,
    action: RateLimitedAction,
    userRef: string,
  ) => {
    try {
      await rateLimits.take(action, userRef);
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        res.set('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
  };

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
          requests.submit(me, submission),
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

  router.post('/grants/:id/credentials/reveal', async (req, res) => {
    const me = await caller(req);
    const id = parseInput(grantIdSchema, req.params.id, 'grant id');
    res.json(
      await audited(req, 'credentials-reveal', 'high', { grantId: id }, () =>
        options.credentials.reveal(me, id),
      ),
    );
  });

  router.post('/grants/:id/credentials/reset', async (req, res) => {
    const me = await caller(req);
    const id = parseInput(grantIdSchema, req.params.id, 'grant id');
    res.json(
      await audited(req, 'credentials-reset', 'high', { grantId: id }, () =>
        options.credentials.reset(me, id),
      ),
    );
  });

  router.get('/tasks', async (req, res) => {
    const me = await requester(req);
    const query = parseInput(taskQuerySchema, req.query, 'query');
    res.json(await options.fulfilment.list(me, query));
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
        options.fulfilment.complete(me, id, note),
      ),
    );
  });

  router.get('/admin/reconciliation', async (req, res) => {
    const me = await caller(req);
    if (!me.isAdmin) {
      throw new NotAllowedError('You lack the access.admin permission');
    }
    const query = parseInput(pageQuerySchema.strict(), req.query, 'query');
    res.json(await options.reconciler.list(query));
  });

  router.get('/admin/resources/unrequestable', async (req, res) => {
    const me = await caller(req);
    if (!me.isAdmin) {
      throw new NotAllowedError('You lack the access.admin permission');
    }
    const query = parseInput(pageQuerySchema.strict(), req.query, 'query');
    res.json(await resources.unrequestable(query));
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
          requests.requestAgain(me, id, changes),
        ),
      );
  });

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
          favorites.request(me, id, changes),
        ),
      );
  });

  router.get('/inbox', async (req, res) => {
    const me = await reader(req, { admin: false });
    const query = parseInput(inboxQuerySchema, req.query, 'query');
    res.json(await requests.inbox(me, query));
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

  router.get('/admin/audit/verify', async (req, res) => {
    const me = await caller(req);
    if (!me.isAdmin) {
      throw new NotAllowedError('You lack the access.admin permission');
    }
    // ?anchor=<seq>:<hash>, a head exported earlier: it must still be in the chain.
    const { anchor } = parseInput(auditVerifyQuerySchema, req.query, 'query');
    res.json(
      await audited(
        req,
        'audit-verify',
        'low',
        anchor ? { anchor: formatAuditAnchor(anchor) } : {},
        () => store.audit.verify({ anchor }),
      ),
    );
  });

  return router;
}
