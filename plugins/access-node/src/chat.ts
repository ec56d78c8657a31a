import { LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/**
 * Chat channels: backend modules that bring approvals to approvers where they already are
 * (Slack, Microsoft Teams) and tell requesters how their requests went.
 *
 * The access plugin decides what is said and to whom, keeps every message it posted, and
 * delivers through an outbox (retries with backoff, a failure visible to admins). A channel only
 * renders the plain data it is given and talks to its vendor; for decisions made in chat it
 * hands the click back through the {@link AccessChatContext}, which runs the same command as the
 * portal.
 */

/** The chat systems the access plugin knows. */
export type AccessChatChannelId = 'slack' | 'teams';

/** Where a decision came from: the portal, the HTTP API, the engine's timeout, or a chat. */
export type AccessDecisionChannel = 'portal' | 'api' | AccessChatChannelId;

/**
 * A catalog User, as the plugin hands it to a channel to find the person's chat address. The
 * annotations are the entity's, e.g. `slack.com/user_id` or `graph.microsoft.com/user-id`.
 */
export interface AccessChatUser {
  /** `user:default/dana` */
  entityRef: string;
  /** `spec.profile.displayName`, else `metadata.title`, else the entity's name. */
  displayName: string;
  /** `spec.profile.email`, when set. */
  email?: string;
  annotations: Record<string, string>;
}

/** A person's address in a chat system: where to send them a direct message. */
export interface AccessChatAddress {
  /** The chat system's user id (Slack: `U0123ABCD`; Teams: the AAD object id). */
  userId: string;
  /** Anything else the channel needs to reach the person (Teams: tenant, service URL). */
  extra?: JsonObject;
}

/**
 * A message a channel posted, kept by the plugin (in its database, so it survives a restart) to
 * update the message in place later.
 */
export interface AccessChatMessageRef {
  /** Slack: the DM channel id; Teams: the conversation id. */
  conversationId: string;
  /** Slack: the message `ts`; Teams: the activity id. */
  messageId: string;
  /** Anything else the channel needs to reach the message again (Teams: `serviceUrl`). */
  extra?: JsonObject;
}

/** A person as a message shows them. */
export interface AccessChatPerson {
  entityRef: string;
  displayName: string;
}

/** One (resource, permission) of a request, as a message shows it. */
export interface AccessChatItem {
  resourceRef: string;
  /** The resource's title, else its name. */
  resourceTitle: string;
  permission: string;
}

/** How a decision ended the wait, for the updated approval message. */
export interface AccessChatOutcome {
  /**
   * `approved` / `rejected`: a person decided (the last approval of the last stage, or a
   * rejection); `stage-approved`: this message's stage was approved and the request waits for the
   * next one; `timed-out`: nobody decided in time; `closed`: it ended otherwise (cancelled,
   * revoked, failed).
   */
  kind: 'approved' | 'stage-approved' | 'rejected' | 'timed-out' | 'closed';
  /** The request's status now (`granting`, `rejected`, `failed`, ...). */
  status: string;
  /** Who decided, when a person did. */
  decidedBy?: AccessChatPerson;
  /** Where they decided. */
  decidedVia?: AccessDecisionChannel;
  /** ISO-8601. */
  decidedAt?: string;
  reason?: string;
  /** One line that says it all, e.g. "Approved by Lee Park in Slack: covered by INC-12". */
  summary: string;
}

/**
 * Everything an approval message shows, built by the plugin: a channel renders it and nothing
 * else. Without `outcome` the request waits for the message's recipient (show Approve and
 * Reject); with it, the message is updated to say how it ended (no buttons).
 */
export interface AccessChatApprovalView {
  requestId: string;
  requester: AccessChatPerson;
  /** Set when the access is for someone other than the requester. */
  grantee?: AccessChatPerson;
  items: AccessChatItem[];
  /** ISO-8601 duration, and the same in words ("8 hours"). */
  duration?: string;
  durationText?: string;
  /** ISO-8601 scheduled start and end, when the request has them. */
  startAt?: string;
  endAt?: string;
  justification?: string;
  ticket?: { type?: string; id: string };
  flow: { id: string; title: string };
  /** The stage that waits (1-based) and how many there are. */
  stage: { number: number; count: number };
  /** ISO-8601: when the request fails without a decision, if the flow has a timeout. */
  timesOutAt?: string;
  /** The request's page in the portal (absolute URL). */
  link: string;
  /** Whether the flow asks the approver for a reason to approve, and to reject. */
  reasonRequired: { approve: boolean; reject: boolean };
  outcome?: AccessChatOutcome;
}

/** A change of a request the requester (and grantee) hear of in chat. */
export type AccessChatRequesterUpdateKind =
  | 'approved'
  | 'rejected'
  | 'failed'
  | 'expiring-soon'
  | 'expired'
  | 'revoked';

/** A requester update, built by the plugin; a channel renders it. */
export interface AccessChatRequesterUpdate {
  requestId: string;
  kind: AccessChatRequesterUpdateKind;
  /** The request's status now. */
  status: string;
  items: AccessChatItem[];
  /** One line that says what happened ("Your access to Payments DB (read) is active."). */
  summary: string;
  /** Why, when there is a reason (a rejection's, a failure's last error, a revocation's). */
  reason?: string;
  /** Who decided or revoked, when a person did. */
  by?: AccessChatPerson;
  /** ISO-8601: when the access ends or ended. */
  expiresAt?: string;
  /** The request's page in the portal (absolute URL). */
  link: string;
  /**
   * A button to show: extend (on `expiring-soon`) or request again (on `expired`), opening the
   * portal page that does it.
   */
  action?: { kind: 'extend' | 'request-again'; label: string; url: string };
}

/** Passed to every outbound call of a channel. */
export interface AccessChatCallContext {
  /** Aborted when the call takes too long or the backend shuts down. */
  signal: AbortSignal;
  logger: LoggerService;
}

/**
 * Thrown by a channel's outbound call to say when to try again or that trying again cannot
 * help. Any other error is retried with exponential backoff.
 */
export class AccessChatDeliveryError extends Error {
  /** The vendor asked to wait this long (Slack's `Retry-After` on HTTP 429), in milliseconds. */
  readonly retryAfterMs?: number;
  /** Retrying cannot help (the user left, the bot was removed): the delivery fails at once. */
  readonly permanent: boolean;

  constructor(
    message: string,
    options: { retryAfterMs?: number; permanent?: boolean } = {},
  ) {
    super(message);
    this.name = 'AccessChatDeliveryError';
    this.retryAfterMs = options.retryAfterMs;
    this.permanent = options.permanent ?? false;
  }
}

/**
 * A chat user as their channel knows them, to find the catalog User behind them: first by the
 * channel's annotation on the User entity (Slack: `slack.com/user_id` or `slack.com/bot-notify`;
 * Teams: `graph.microsoft.com/user-id`) equal to `chatUserId`, else by `email` against
 * `spec.profile.email`.
 */
export interface AccessChatIdentity {
  channel: AccessChatChannelId;
  /** Slack: the user id (`U0123ABCD`); Teams: `from.aadObjectId`. */
  chatUserId: string;
  /**
   * The chat user's e-mail, or a way to look it up (called only when no annotation matches, so
   * a Slack module asks `users.info` only then).
   */
  email?: string | (() => Promise<string | undefined>);
}

/** Who decides from chat: the chat user and the catalog User the plugin matched them to. */
export interface AccessChatDecider {
  channel: AccessChatChannelId;
  chatUserId: string;
  /** The catalog User, as `resolveChatUser` found them. */
  deciderRef: string;
}

/** What came of a decision made in chat. */
export type AccessChatDecisionResult =
  | {
      ok: true;
      /** The request after the decision (with `outcome` once the wait is over). */
      view: AccessChatApprovalView;
    }
  | {
      ok: false;
      /**
       * `not-found`: no such request (or not one the person may see); `already-decided`: the
       * request no longer waits (the view's `outcome` says who decided); `not-allowed`: the
       * person may not decide it (their own request, not an approver of this stage, decided an
       * earlier stage); `reason-required`: the flow asks for a reason; `invalid`: the input was
       * refused (a reason too long).
       */
      error:
        | 'not-found'
        | 'already-decided'
        | 'not-allowed'
        | 'reason-required'
        | 'invalid';
      /** What to tell the person, in plain words. */
      message: string;
      view?: AccessChatApprovalView;
    };

/**
 * What the access plugin hands a channel when it starts, so the channel's inbound endpoint can
 * act. Every decision goes through the same command as the portal's, with every rule: no
 * self-approval, only the current stage's approvers, distinct approvers across stages, first
 * decision wins, the flow's reason rules. A refused decision changes nothing and is recorded as
 * a Backstage audit event; an accepted one is in the request's audit trail with its channel and
 * the chat user id beside the catalog user.
 */
export interface AccessChatContext {
  /** The catalog User behind a chat user, or undefined (tell them to link their account). */
  resolveChatUser(
    identity: AccessChatIdentity,
  ): Promise<AccessChatUser | undefined>;
  /** Decides as the catalog User `decider.deciderRef`; never throws for a refusal. */
  decide(
    requestId: string,
    decision: 'approve' | 'reject',
    reason: string | undefined,
    decider: AccessChatDecider,
  ): Promise<AccessChatDecisionResult>;
  /**
   * The request as an approval message shows it (to `forUserRef`: their own decision ends their
   * wait), or undefined when there is no such request.
   */
  getApprovalView(
    requestId: string,
    forUserRef?: string,
  ): Promise<AccessChatApprovalView | undefined>;
  /** Whether the request's flow asks for a reason with this decision (ask before deciding). */
  reasonRequired(
    requestId: string,
    decision: 'approve' | 'reject',
  ): Promise<boolean>;
  /** The portal's base URL (`app.baseUrl`), for links. */
  portalBaseUrl: string;
}

/**
 * A chat channel: a backend module implements it and adds it with
 * `accessChatChannelsExtensionPoint`. The plugin calls the outbound methods from its delivery
 * outbox (retried on failure, so each should do one thing) and `connect` once at startup.
 *
 * The module serves its own inbound endpoint (Slack's interactivity URL, Teams' messaging
 * endpoint) on the plugin's `httpRouter` under `/chat/<id>/...`, allowing it unauthenticated
 * with `httpRouter.addAuthPolicy` since the vendor's signature authenticates it; the plugin's own
 * router leaves `/chat/` paths alone (no body parsing, so the raw body is there to verify).
 */
export interface AccessChatChannel {
  id: AccessChatChannelId;
  /** Called once when the plugin has started; until then the inbound endpoint answers 503. */
  connect(context: AccessChatContext): void;
  /** Where to reach this catalog User in this chat, or undefined when they have no identity there. */
  addressOf(
    user: AccessChatUser,
    ctx: AccessChatCallContext,
  ): Promise<AccessChatAddress | undefined>;
  /** Sends an approver the approval message with Approve and Reject; returns where it is. */
  postApproval(
    to: AccessChatAddress,
    view: AccessChatApprovalView,
    ctx: AccessChatCallContext,
  ): Promise<AccessChatMessageRef>;
  /** Updates a posted approval message in place (no buttons once `view.outcome` is set). */
  updateApproval(
    message: AccessChatMessageRef,
    view: AccessChatApprovalView,
    ctx: AccessChatCallContext,
  ): Promise<void>;
  /** Tells a requester or grantee of a change of their request. */
  postRequesterUpdate(
    to: AccessChatAddress,
    update: AccessChatRequesterUpdate,
    ctx: AccessChatCallContext,
  ): Promise<AccessChatMessageRef | void>;
}
