import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AccessRequest } from '@jit-access/plugin-access-common';

const STATUS_TITLES: Partial<Record<AccessRequest['status'], string>> = {
  scheduled:
    'Your access request was approved; it starts at its scheduled time',
  granting: 'Your access request was approved; access is being granted',
  active: 'Your access is active',
  revoking: 'Your access is being revoked',
  revoked: 'Your access was revoked',
  expired: 'Your access expired',
  rejected: 'Your access request was rejected',
  cancelled: 'Your access request was cancelled',
  failed: 'Your access request failed',
};

function summary(request: AccessRequest): string {
  const first = request.items[0];
  const more =
    request.items.length > 1 ? ` and ${request.items.length - 1} more` : '';
  return `${first.permission} on ${first.resourceRef}${more}`;
}

/**
 * Tells people about requests through Backstage notifications: approvers when a request waits for
 * them (one notification per request, updated as it moves, never repeated), and the requester
 * and grantee on every change. A failed notification is logged, never fails the request.
 */
export class AccessNotifier {
  constructor(
    private readonly notifications: NotificationService | undefined,
    private readonly logger: LoggerService,
  ) {}

  /** Tells the approvers of the current stage who may decide it (see `eligibleDeciders`). */
  async awaitingApproval(
    request: AccessRequest,
    recipients: string[],
  ): Promise<void> {
    const stage =
      request.stageCount > 1
        ? ` (stage ${request.currentStage + 1} of ${request.stageCount})`
        : '';
    await this.send(recipients, {
      title: `Access request waiting for your decision${stage}`,
      description: `${request.requesterRef} asks for ${summary(request)}${
        request.granteeRef !== request.requesterRef
          ? ` for ${request.granteeRef}`
          : ''
      }.`,
      link: `/access/requests/${request.id}`,
      topic: 'access-approval',
      scope: `access-request:${request.id}:approval`,
    });
  }

  /** Approvers who have not decided, some time before the request times out. */
  async reminder(
    request: AccessRequest,
    recipients: string[],
    deadline: Date,
  ): Promise<void> {
    await this.send(recipients, {
      title: 'Reminder: an access request is waiting for your decision',
      description: `${request.requesterRef} asks for ${summary(
        request,
      )}; without a decision it fails at ${deadline.toISOString()}.`,
      link: `/access/requests/${request.id}`,
      topic: 'access-approval',
      scope: `access-request:${request.id}:reminder:${request.currentStage}`,
    });
  }

  /** Escalation approvers, added to a stage that waited too long. */
  async escalated(request: AccessRequest, recipients: string[]): Promise<void> {
    await this.send(recipients, {
      title: 'An access request was escalated to you',
      description: `${request.requesterRef} asks for ${summary(
        request,
      )}; it waited too long for its approvers, so you may decide too.`,
      link: `/access/requests/${request.id}`,
      topic: 'access-approval',
      severity: 'high',
      scope: `access-request:${request.id}:escalation:${request.currentStage}`,
    });
  }

  /** Updates the approvers' notification once the request no longer waits for anyone. */
  async approvalClosed(request: AccessRequest): Promise<void> {
    const decided =
      request.approvals.find(a => a.decision === 'reject') ??
      request.approvals.at(-1);
    const outcome = decided
      ? `${decided.decision === 'reject' ? 'rejected' : 'approved'} by ${
          decided.approverRef
        }`
      : request.status.replace('_', ' ');
    await this.send([...new Set(request.approvers.map(a => a.entityRef))], {
      title: `Access request ${outcome}`,
      description: `${request.requesterRef} asked for ${summary(
        request,
      )}; no decision is needed any more.`,
      link: `/access/requests/${request.id}`,
      topic: 'access-approval',
      scope: `access-request:${request.id}:approval`,
    });
  }

  /** The requester and grantee, on every change of status. */
  async statusChanged(request: AccessRequest): Promise<void> {
    const title = STATUS_TITLES[request.status];
    if (!title) {
      return;
    }
    const reason = request.statusReason ? `: ${request.statusReason}` : '';
    await this.send([...new Set([request.requesterRef, request.granteeRef])], {
      title,
      description: `${summary(request)}${reason}`,
      link: `/access/requests/${request.id}`,
      topic: 'access-request',
      severity:
        request.status === 'failed' || request.status === 'rejected'
          ? 'high'
          : 'normal',
      scope: `access-request:${request.id}`,
    });
  }

  private async send(
    recipients: string[],
    payload: {
      title: string;
      description: string;
      link: string;
      topic: string;
      scope: string;
      severity?: 'high' | 'normal';
    },
  ): Promise<void> {
    if (!this.notifications || recipients.length === 0) {
      return;
    }
    try {
      await this.notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload,
      });
    } catch (error) {
      this.logger.warn(
        `Could not send notification '${payload.title}': ${error}`,
      );
    }
  }
}
