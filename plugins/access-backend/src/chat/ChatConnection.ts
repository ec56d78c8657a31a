import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  AccessChatApprovalView,
  AccessChatContext,
  AccessChatDecider,
  AccessChatDecisionResult,
  AccessChatIdentity,
  AccessChatUser,
} from '@jit-access/plugin-access-node';
import { RequestService } from '../requests/RequestService';
import { ChatDirectory } from './chatIdentity';
import { approvalView } from './chatViews';
import { ChatFacts } from './chatFacts';

type Refusal = Extract<AccessChatDecisionResult, { ok: false }>['error'];

/** The refusal an error of the decide command is, by its Backstage error name. */
function refusalOf(error: Error): Refusal | undefined {
  switch (error.name) {
    case 'NotFoundError':
      return 'not-found';
    case 'ConflictError':
      return 'already-decided';
    case 'NotAllowedError':
      return 'not-allowed';
    case 'InputError':
      return /requires a reason/.test(error.message)
        ? 'reason-required'
        : 'invalid';
    case 'TooManyRequestsError':
      return 'invalid';
    default:
      return undefined;
  }
}

/**
 * What a chat channel's inbound endpoint acts through (`AccessChatContext`): decisions run the
 * request service's decide command, the portal's, as the catalog User behind the chat user, and
 * each is a Backstage audit event naming the channel and the chat user.
 */
export class ChatConnection implements AccessChatContext {
  constructor(
    private readonly deps: {
      requests: RequestService;
      directory: ChatDirectory;
      facts: ChatFacts;
      auditor: AuditorService;
      logger: LoggerService;
      /** Counts a decision against the person's rate limit; throws past it. */
      takeDecision: (userRef: string) => Promise<void>;
      portalBaseUrl: string;
    },
  ) {}

  get portalBaseUrl(): string {
    return this.deps.portalBaseUrl;
  }

  async resolveChatUser(
    identity: AccessChatIdentity,
  ): Promise<AccessChatUser | undefined> {
    const user = await this.deps.directory.resolve(identity);
    if (!user) {
      const event = await this.deps.auditor.createEvent({
        eventId: 'chat-user-unmatched',
        severityLevel: 'medium',
        meta: { channel: identity.channel, chatUserId: identity.chatUserId },
      });
      await event.fail({
        error: new Error(
          `No catalog User matches ${identity.channel} user ${identity.chatUserId}`,
        ),
      });
    }
    return user;
  }

  async decide(
    requestId: string,
    decision: 'approve' | 'reject',
    reason: string | undefined,
    decider: AccessChatDecider,
  ): Promise<AccessChatDecisionResult> {
    const event = await this.deps.auditor.createEvent({
      eventId: 'request-decide',
      severityLevel: 'high',
      meta: {
        requestId,
        decision,
        channel: decider.channel,
        chatUserId: decider.chatUserId,
        deciderRef: decider.deciderRef,
      },
    });
    try {
      await this.deps.takeDecision(decider.deciderRef);
      const request = await this.deps.requests.decide(
        { userEntityRef: decider.deciderRef, isAdmin: false },
        requestId,
        decision,
        reason?.trim() || undefined,
        { channel: decider.channel, chatUserId: decider.chatUserId },
      );
      await event.success();
      const decided = [...request.approvals]
        .reverse()
        .find(a => a.approverRef === decider.deciderRef);
      return {
        ok: true,
        view: approvalView(
          request,
          decided?.stage ?? request.currentStage,
          decider.deciderRef,
          await this.deps.facts.of(request),
        ),
      };
    } catch (error) {
      const err = error as Error;
      await event.fail({ error: err });
      const refusal = refusalOf(err);
      if (!refusal) {
        throw error;
      }
      const view =
        refusal === 'not-found'
          ? undefined
          : await this.getApprovalView(requestId, decider.deciderRef);
      return {
        ok: false,
        error: refusal,
        message: err.message,
        ...(view ? { view } : {}),
      };
    }
  }

  async getApprovalView(
    requestId: string,
    forUserRef?: string,
  ): Promise<AccessChatApprovalView | undefined> {
    const request = await this.deps.requests.byId(requestId);
    if (!request) {
      return undefined;
    }
    return approvalView(
      request,
      request.currentStage,
      forUserRef ?? '',
      await this.deps.facts.of(request),
    );
  }

  async reasonRequired(
    requestId: string,
    decision: 'approve' | 'reject',
  ): Promise<boolean> {
    const request = await this.deps.requests.byId(requestId);
    if (!request) {
      return false;
    }
    const rule = this.deps.requests.flowOf(request).approval.requireReason;
    return rule === 'both' || rule === decision;
  }
}
