/**
 * What every route module is given: the router's dependencies, the ways to learn who calls, and
 * the two wrappers a change goes through (a Backstage audit event, the caller's rate limit).
 */
import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { AccessBundle } from '@jit-access/plugin-access-common';
import express from 'express';
import { RateLimitedAction } from '../config/rateLimitsConfig';
import { ChatOutbox } from '../notify/ChatOutbox';
import { AccessDatabase } from '../database/AccessDatabase';
import { CredentialService } from '../credentials/CredentialService';
import { FavoriteService } from '../favorites/FavoriteService';
import { FulfilmentService } from '../fulfilment/FulfilmentService';
import { Reconciler } from '../reconcile/Reconciler';
import { RequestService } from '../requests/RequestService';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { SuggestionService } from '../suggestions/SuggestionService';
import { Callers, createCallers } from '../callers/callers';
import { TooManyRequestsError, UserRateLimits } from '../callers/rateLimits';

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
  suggestions: SuggestionService;
  favorites: FavoriteService;
  credentials: CredentialService;
  fulfilment: FulfilmentService;
  reconciler: Reconciler;
  /** The chat outbox: which channels are installed, and an admin's retry of a failed message. */
  chat: ChatOutbox;
  auditor: AuditorService;
}

export interface RouteContext extends RouterOptions, Callers {
  /** Runs a change as a Backstage audit event (besides the plugin's own hash-chained log). */
  audited<T>(
    req: express.Request,
    eventId: string,
    severityLevel: AuditorServiceEventSeverityLevel,
    meta: Record<string, string>,
    change: () => Promise<T>,
  ): Promise<T>;
  /** Counts one action against the caller's limit; past it, a 429 with Retry-After. */
  limited(
    res: express.Response,
    action: RateLimitedAction,
    userRef: string,
  ): Promise<void>;
}

/** Adds one area's routes to the router. */
export type RouteModule = (
  router: express.Router,
  context: RouteContext,
) => void;

export function createRouteContext(options: RouterOptions): RouteContext {
  const { auditor, rateLimits } = options;
  return {
    ...options,
    ...createCallers(options),

    audited: async (req, eventId, severityLevel, meta, change) => {
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
    },

    limited: async (res, action, userRef) => {
      try {
        await rateLimits.take(action, userRef);
      } catch (error) {
        if (error instanceof TooManyRequestsError) {
          res.set('Retry-After', String(error.retryAfterSeconds));
        }
        throw error;
      }
    },
  };
}
