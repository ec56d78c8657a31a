/**
 * Requests made for someone by an AI assistant (through the backend's actions): where a request
 * came from, what a flow lets assistants do, and the suggestions an assistant starts from.
 */

/**
 * Where a request was made: the portal, the HTTP API (scripts, other tools), or an action
 * (an AI assistant acting for the signed-in user).
 */
export type RequestChannel = 'portal' | 'api' | 'action';

/** The request channels, in the order they are documented. */
export const REQUEST_CHANNELS: readonly RequestChannel[] = [
  'portal',
  'api',
  'action',
];

/**
 * What a flow lets AI assistants do (`access.flows[].agents`): `allow` requests as the flow
 * says, `approval` (the default) always with a person's approval, `deny` none at all.
 */
export interface AccessFlowAgents {
  requests: 'allow' | 'approval' | 'deny';
  /**
   * Entity refs (users or groups) who approve an assistant's request under a flow that would
   * otherwise approve automatically; absent: the resources' owners.
   */
  approvers?: string[];
}

/** Something worth requesting for a need described in words (`GET /suggestions`). */
export interface AccessSuggestion {
  kind: 'resource' | 'bundle';
  /** Set when `kind` is `resource`. */
  resourceRef?: string;
  /** Set when `kind` is `bundle`. */
  bundleId?: string;
  title: string;
  /** The permission that fits the need best (resources only). */
  permission?: string;
  /** The flow the caller would request it under, when one covers it. */
  flowId?: string;
  flowTitle?: string;
  /** ISO-8601 duration the flow offers first. */
  duration?: string;
  /** Whether a person must approve it (always so when an assistant asks). */
  requiresApproval: boolean;
  /** Higher is better; only the order means anything. */
  score: number;
  /** Why it was suggested, in words. */
  reasons: string[];
}

/** Query of `GET /suggestions`. */
export interface SuggestionsQuery {
  /** The need, in words (1..500 characters). */
  q: string;
  /** 1..20, default 5. */
  limit?: number;
}

/** Answer of `GET /suggestions`. */
export interface SuggestionsResult {
  items: AccessSuggestion[];
}
