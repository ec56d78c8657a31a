/**
 * What every action module is given: the services the HTTP API uses, the same ways to learn who
 * calls (from the credentials the actions registry hands over), the same rate limits, and a
 * Backstage audit event around each change.
 */
import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AccessBundle } from '@jit-access/plugin-access-common';
import { z } from 'zod/v3';
import { CredentialCallers } from '../callers/callers';
import { UserRateLimits } from '../callers/rateLimits';
import { RateLimitedAction } from '../config/rateLimitsConfig';
import { RequestService } from '../requests/RequestService';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { SuggestionService } from '../suggestions/SuggestionService';

/** The zod the actions registry builds schemas with. */
export type Zod = typeof z;

export interface AccessActionsOptions {
  actionsRegistry: ActionsRegistryService;
  callers: CredentialCallers;
  rateLimits: UserRateLimits;
  auditor: AuditorService;
  resources: ResourceCatalog;
  bundles: AccessBundle[];
  requests: RequestService;
  suggestions: SuggestionService;
}

export interface ActionContext extends AccessActionsOptions {
  /** Runs a change as a Backstage audit event, marked as made through an action. */
  audited<T>(
    credentials: BackstageCredentials,
    eventId: string,
    severityLevel: AuditorServiceEventSeverityLevel,
    meta: Record<string, string>,
    change: () => Promise<T>,
  ): Promise<T>;
  /** Counts one action against the caller's limit, shared with the HTTP API. */
  limited(action: RateLimitedAction, userRef: string): Promise<void>;
}

/** Adds one group of actions to the registry. */
export type ActionModule = (context: ActionContext) => void;

export function createActionContext(
  options: AccessActionsOptions,
): ActionContext {
  const { auditor, rateLimits } = options;
  return {
    ...options,
    audited: async (credentials, eventId, severityLevel, meta, change) => {
      const principal = credentials.principal as { userEntityRef?: string };
      const event = await auditor.createEvent({
        eventId,
        severityLevel,
        meta: {
          ...meta,
          channel: 'action',
          ...(principal.userEntityRef
            ? { actorRef: principal.userEntityRef }
            : {}),
        },
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
    limited: (action, userRef) => rateLimits.take(action, userRef),
  };
}

/** Where a person sees a request in the portal. */
export const requestLink = (id: string) => `/access/requests/${id}`;
