import {
  AccessFlow,
  AccessRequest,
  RequestStatus,
} from '@jit-access/plugin-access-common';
import { RequestStore } from '../database/requests/RequestStore';
import { AccessNotifier } from '../notify/AccessNotifier';
import { ChatOutbox } from '../notify/ChatOutbox';
import { RequestSignals } from '../notify/RequestSignals';
import { FlowLookup } from './flows';
import { flowForChannel } from './rules/agentPolicy';
import { RequestReader } from './RequestReader';
import { eligibleDeciders } from './rules/decisionRules';
import { chainPeople } from './rules/extensionRules';

/** Where a request stood before a change, to tell who needs to hear about it. */
export interface Before {
  status: RequestStatus;
  stage: number;
}

/** Tells people of changes to requests: signals to open pages, notifications to people. */
export class Announcer {
  constructor(
    private readonly deps: {
      store: RequestStore;
      reader: RequestReader;
      flows: FlowLookup;
      notifier?: AccessNotifier;
      signals?: RequestSignals;
      chat?: ChatOutbox;
    },
  ) {}

  /** Announces the status changes the provisioning engine made. */
  async announceChanges(
    changes: Array<{ requestId: string; from: RequestStatus }>,
  ): Promise<void> {
    // Announce each request once, as it is now, against where it stood first.
    const firstFrom = new Map<string, RequestStatus>();
    for (const change of changes) {
      if (!firstFrom.has(change.requestId)) {
        firstFrom.set(change.requestId, change.from);
      }
    }
    for (const request of await this.deps.reader.getMany([
      ...firstFrom.keys(),
    ])) {
      await this.announce(request, {
        status: firstFrom.get(request.id)!,
        stage: request.currentStage,
      });
    }
  }

  /**
   * Announces a request as it is now: to its approvers when it waits for a (new) stage, to its
   * people when its status changed since `before` (a new request: no `before`).
   */
  async announce(request: AccessRequest, before?: Before): Promise<void> {
    await this.deps.signals?.changed(request);
    // Chat messages go to the outbox (never throws): approvals, their updates, the requester's.
    await this.deps.chat?.requestChanged(request, before, () =>
      this.mayStillDecide(request),
    );
    const notifier = this.deps.notifier;
    if (!notifier) {
      return;
    }
    if (request.status === 'pending_approval') {
      if (!before || before.stage !== request.currentStage) {
        await notifier.awaitingApproval(
          request,
          await this.mayStillDecide(request),
        );
      }
      return;
    }
    if (before?.status === request.status) {
      return;
    }
    await notifier.statusChanged(request);
    if (before?.status === 'pending_approval') {
      await notifier.approvalClosed(request);
    }
  }

  /** The current stage's approvers who may still decide it. */
  async mayStillDecide(request: AccessRequest): Promise<string[]> {
    const flow = this.deps.flows.find(request.flowId);
    return flow
      ? mayStillDecide(
          this.deps.store,
          flowForChannel(flow, request.channel),
          request,
        )
      : [];
  }
}

/** The approvers of the request's current stage who may still decide it. */
export async function mayStillDecide(
  store: RequestStore,
  flow: AccessFlow,
  request: AccessRequest,
): Promise<string[]> {
  const chain = request.extendsRequestId
    ? await store.chain(request.id)
    : [request];
  return eligibleDeciders({
    flow,
    stage: request.currentStage,
    stageApprovers: request.approvers
      .filter(a => a.stage === request.currentStage)
      .map(a => a.entityRef),
    chainPeople: chainPeople(chain),
    decisions: request.approvals,
  });
}
