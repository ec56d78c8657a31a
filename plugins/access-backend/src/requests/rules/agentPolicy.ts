import { NotAllowedError } from '@backstage/errors';
import { AccessFlow, RequestChannel } from '@jit-access/plugin-access-common';

/**
 * What a flow lets an AI assistant do (`agents.requests`), with the default: a person approves.
 */
export function agentPolicy(
  flow: Pick<AccessFlow, 'agents'>,
): 'allow' | 'approval' | 'deny' {
  return flow.agents?.requests ?? 'approval';
}

/** Refuses a request made through an action under a flow that accepts none from assistants. */
export function assertChannelAccepted(
  flow: Pick<AccessFlow, 'id' | 'title' | 'agents'>,
  channel: RequestChannel,
): void {
  if (channel === 'action' && agentPolicy(flow) === 'deny') {
    throw new NotAllowedError(
      `Flow '${flow.id}' (${flow.title}) does not accept requests from AI assistants; request this access in the portal`,
    );
  }
}

/**
 * Whether an extension asked through this channel waits for a person: as the flow says, except
 * that one an assistant asks for under the `approval` policy always does.
 */
export function extensionNeedsApproval(
  flow: Pick<AccessFlow, 'agents' | 'extension'>,
  channel: RequestChannel,
): boolean {
  if (channel === 'action' && agentPolicy(flow) === 'approval') {
    return true;
  }
  return flow.extension.requiresApproval;
}

/**
 * The flow as it applies to a request made through this channel. A request an assistant made
 * under a flow whose agents policy is `approval` always waits for a person: the flow's own stages
 * when it has some, else one stage of `agents.approvers` (default: the resources' owners). Nobody
 * approves such a request of their own, whatever the flow allows.
 */
export function flowForChannel(
  flow: AccessFlow,
  channel: RequestChannel,
): AccessFlow {
  if (channel !== 'action' || agentPolicy(flow) !== 'approval') {
    return flow;
  }
  const stages =
    flow.approval.stages.length > 0
      ? flow.approval.stages
      : [{ approvers: flow.agents?.approvers ?? ['owners'], minApprovals: 1 }];
  return {
    ...flow,
    approval: { ...flow.approval, stages, allowSelfApproval: false },
  };
}
