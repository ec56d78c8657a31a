import { ConflictError } from '@backstage/errors';
import { AccessFlow, RequestChannel } from '@jit-access/plugin-access-common';
import { FlowFactsOf } from '../database/requests/requestDetails';
import { flowForChannel } from './rules/agentPolicy';

/** A request as far as its flow goes: which flow, and where it was made. */
export interface FlowOf {
  flowId: string;
  channel: RequestChannel;
}

/** The configured flows by id, as requests refer to them. */
export class FlowLookup {
  private readonly byId: Map<string, AccessFlow>;

  constructor(readonly all: AccessFlow[]) {
    this.byId = new Map(all.map(flow => [flow.id, flow]));
  }

  find(id: string): AccessFlow | undefined {
    return this.byId.get(id);
  }

  /** The flow a request is under; a request whose flow is gone can no longer change. */
  get(id: string): AccessFlow {
    const flow = this.byId.get(id);
    if (!flow) {
      throw new ConflictError(
        `The request's flow '${id}' is no longer configured`,
      );
    }
    return flow;
  }

  /** The flow a request is under, as it applies to where the request was made. */
  forRequest(request: FlowOf): AccessFlow {
    return flowForChannel(this.get(request.flowId), request.channel);
  }

  /** What a request shows of its flow (its id for a title, and defaults, when the flow is gone). */
  facts: FlowFactsOf = request => {
    const configured = this.byId.get(request.flowId);
    const flow = configured && flowForChannel(configured, request.channel);
    return {
      title: configured?.title ?? request.flowId,
      stageCount: flow?.approval.stages.length ?? 0,
      maxExtensions: flow?.extension.maxExtensions ?? 0,
      extensionRequiresApproval: flow?.extension.requiresApproval ?? false,
      durations: flow?.durations ?? [],
      requireReason: flow?.approval.requireReason ?? 'none',
    };
  };
}
