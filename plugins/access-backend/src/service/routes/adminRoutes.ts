/**
 * Administration: reconciliation findings, resources nobody can request, the chat outbox (and a
 * failed message sent again), and the audit chain's verification. Each route refuses a caller
 * without the access.admin permission.
 */
import { NotAllowedError } from '@backstage/errors';
import {
  AccessChatChannelName,
  AccessChatDeliveriesQuery,
  AccessChatDelivery,
  AccessChatDeliveryPage,
  AuditVerification,
} from '@jit-access/plugin-access-common';
import { z } from 'zod';
import type { ChatDelivery } from '../../database/chat/ChatStore';
import express from 'express';
import {
  auditVerifyQuerySchema,
  formatAuditAnchor,
} from '../../audit/auditAnchor';
import type { AuditStore } from '../../database/audit';
import { Equal, Expect } from '../../lib/sameType';
import { pageQuerySchema } from '../pagination';
import { RouteModule } from '../routeContext';
import { parseInput } from '../../lib/validation';

const chatDeliveriesQuerySchema = pageQuerySchema
  .extend({
    state: z
      .enum(['pending', 'sent', 'skipped', 'failed'], {
        errorMap: () => ({
          message: 'state must be pending, sent, skipped or failed',
        }),
      })
      .optional(),
  })
  .strict();

const chatDeliveryIdSchema = z.string().uuid('not a chat delivery id');
/** A retry takes no options: an empty body (or none). */
const retryBodySchema = z.object({}).strict();

/** A delivery as admins see it (the wire type of `GET /admin/chat/deliveries`). */
function toWireDelivery(delivery: ChatDelivery): AccessChatDelivery {
  return {
    id: delivery.id,
    channel: delivery.channel as AccessChatDelivery['channel'],
    kind: delivery.kind,
    requestId: delivery.requestId,
    ...(delivery.recipientRef ? { recipientRef: delivery.recipientRef } : {}),
    state: delivery.state,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt.toISOString(),
    ...(delivery.lastError ? { lastError: delivery.lastError } : {}),
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}

/** Fails compilation when the verification and the common package's wire type drift apart. */
export type AdminSchemasMatchWire = [
  Expect<Equal<Awaited<ReturnType<AuditStore['verify']>>, AuditVerification>>,
  Expect<
    Equal<
      Partial<z.output<typeof chatDeliveriesQuerySchema>>,
      AccessChatDeliveriesQuery
    >
  >,
];

export const addAdminRoutes: RouteModule = (
  router,
  { store, resources, reconciler, chat, caller, audited },
) => {
  /** The caller, who must administer access (403 otherwise). */
  const admin = async (req: express.Request) => {
    const me = await caller(req);
    if (!me.isAdmin) {
      throw new NotAllowedError('You lack the access.admin permission');
    }
    return me;
  };

  router.get('/admin/reconciliation', async (req, res) => {
    await admin(req);
    const query = parseInput(pageQuerySchema.strict(), req.query, 'query');
    res.json(await reconciler.list(query));
  });

  router.get('/admin/resources/unrequestable', async (req, res) => {
    await admin(req);
    const query = parseInput(pageQuerySchema.strict(), req.query, 'query');
    res.json(await resources.unrequestable(query));
  });

  router.get('/admin/chat/deliveries', async (req, res) => {
    await admin(req);
    const query = parseInput(chatDeliveriesQuerySchema, req.query, 'query');
    const page = await store.chat.page(query);
    const body: AccessChatDeliveryPage = {
      items: page.items.map(toWireDelivery),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      channels: chat.channels() as AccessChatChannelName[],
    };
    res.json(body);
  });

  router.post('/admin/chat/deliveries/:id/retry', async (req, res) => {
    await admin(req);
    const id = parseInput(chatDeliveryIdSchema, req.params.id, 'delivery id');
    parseInput(retryBodySchema, req.body ?? {}, 'body');
    const delivery = await audited(
      req,
      'chat-delivery-retry',
      'medium',
      { deliveryId: id },
      () => chat.retryFailed(id),
    );
    res.json(toWireDelivery(delivery));
  });

  router.get('/admin/audit/verify', async (req, res) => {
    await admin(req);
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
};
