/**
 * The plugin's HTTP API: one express router, whose routes each area's module adds. Input is
 * parsed by the zod schemas beside the routes; the services below do the work.
 */
import express from 'express';
import Router from 'express-promise-router';
import { createRouteContext, RouteModule, RouterOptions } from './routeContext';
import { addAdminRoutes, AdminSchemasMatchWire } from './routes/adminRoutes';
import { addCredentialRoutes } from './routes/credentialRoutes';
import { addFavoriteRoutes } from './routes/favoriteRoutes';
import {
  addFulfilmentRoutes,
  TaskSchemasMatchWire,
} from './routes/fulfilmentRoutes';
import { addInboxRoutes, InboxSchemasMatchWire } from './routes/inboxRoutes';
import {
  addRequestRoutes,
  RequestSchemasMatchWire,
} from './routes/requestRoutes';
import {
  addResourceRoutes,
  ResourceSchemasMatchWire,
} from './routes/resourceRoutes';
import { addStatusRoutes } from './routes/statusRoutes';
import {
  addSuggestionRoutes,
  SuggestionSchemasMatchWire,
} from './routes/suggestionRoutes';

export type { RouterOptions };

// The query and body schemas accept exactly the wire types of the common package (queries
// once their defaults are filled in); these fail compilation when the two drift apart.
export type RouterSchemasMatchWire = [
  ResourceSchemasMatchWire,
  RequestSchemasMatchWire,
  InboxSchemasMatchWire,
  TaskSchemasMatchWire,
  AdminSchemasMatchWire,
  SuggestionSchemasMatchWire,
];

const ROUTE_MODULES: RouteModule[] = [
  addStatusRoutes,
  addResourceRoutes,
  addSuggestionRoutes,
  addRequestRoutes,
  addInboxRoutes,
  addFavoriteRoutes,
  addCredentialRoutes,
  addFulfilmentRoutes,
  addAdminRoutes,
];

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  const json = express.json({ limit: '1mb' });
  // Chat modules serve /chat/<id>/... themselves, verifying the vendor's signature over the raw
  // body: this router neither parses it nor answers for them.
  router.use((req, res, next) =>
    req.path.startsWith('/chat/') ? next('router') : json(req, res, next),
  );
  const context = createRouteContext(options);
  for (const addRoutes of ROUTE_MODULES) {
    addRoutes(router, context);
  }
  return router;
}
