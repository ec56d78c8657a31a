import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ACCESS_SIGNAL_CHANNEL,
  AccessRequest,
  AccessRequestSignal,
} from '@jit-access/plugin-access-common';

/**
 * Tells open pages that a request changed, so they refresh without polling: the requester, the
 * grantee and everyone who may approve it. The message carries ids only; pages read the request
 * through the API, where the permission checks apply.
 */
export class RequestSignals {
  constructor(
    private readonly signals: SignalsService | undefined,
    private readonly logger: LoggerService,
  ) {}

  async changed(request: AccessRequest): Promise<void> {
    if (!this.signals) {
      return;
    }
    const recipients = [
      ...new Set([
        request.requesterRef,
        request.granteeRef,
        ...request.approvers.map(a => a.entityRef),
      ]),
    ];
    try {
      await this.signals.publish({
        recipients: { type: 'user', entityRef: recipients },
        channel: ACCESS_SIGNAL_CHANNEL,
        message: {
          requestId: request.id,
          status: request.status,
        } satisfies AccessRequestSignal,
      });
    } catch (error) {
      this.logger.warn(`Could not signal a change of ${request.id}: ${error}`);
    }
  }
}
