import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { AccessFlow } from '@jit-access/plugin-access-common';
import { RecordedDecision } from '../../database/requests/requestRows';

export type { RecordedDecision };

/** Everything the decision rules look at; gathered by the caller, no I/O here. */
export interface DecisionFacts {
  flow: Pick<AccessFlow, 'id' | 'approval'>;
  deciderRef: string;
  /**
   * The service the decider's token was issued to, when a plugin or a scaffolder run acts on the
   * person's behalf. Decisions come from people directly, never through such a token.
   */
  actor?: string;
  /** The stage being decided (the request's current stage). */
  stage: number;
  /** Whether the decider is one of the stage's approvers. */
  isStageApprover: boolean;
  /**
   * The requesters and grantees of the request and of every request it extends: none of them
   * decides any link of an extension chain (unless the flow allows self-approval).
   */
  chainPeople: Iterable<string>;
  /** The decisions recorded on the request so far, every stage. */
  decisions: RecordedDecision[];
}

/**
 * Whether the decider may record `decision` (with `reason`) now; throws the refusal that says why
 * not. The order matters for what a caller is told: who they are before what they said.
 */
export function checkDecision(
  facts: DecisionFacts,
  decision: 'approve' | 'reject',
  reason: string | undefined,
): void {
  const { flow, deciderRef, stage } = facts;
  if (facts.actor) {
    throw new NotAllowedError(
      `Decisions come from people directly; this token was issued to ${facts.actor} acting for you`,
    );
  }
  if (!facts.isStageApprover) {
    throw new NotAllowedError(
      `You are not an approver of stage ${stage + 1} of this request`,
    );
  }
  if (isSelf(flow, deciderRef, facts.chainPeople)) {
    throw new NotAllowedError('You cannot decide on your own request');
  }
  const otherStage = decidedOtherStage(
    flow,
    deciderRef,
    stage,
    facts.decisions,
  );
  if (otherStage !== undefined) {
    throw new NotAllowedError(
      `You decided stage ${otherStage + 1} of this request; flow '${
        flow.id
      }' needs a different person for each stage`,
    );
  }
  const needsReason = flow.approval.requireReason;
  if (!reason?.trim() && (needsReason === 'both' || needsReason === decision)) {
    throw new InputError(
      `reason: flow '${flow.id}' requires a reason to ${decision}`,
    );
  }
  const earlier = facts.decisions.find(
    d => d.stage === stage && d.approverRef === deciderRef,
  );
  if (earlier) {
    throw new ConflictError(
      `You already decided stage ${stage + 1} (${earlier.decision})`,
    );
  }
}

/**
 * Of a stage's approvers, those who may still decide it: not the requester or grantee of the
 * chain (unless self-approval is allowed), not someone who decided another stage (unless the flow
 * allows one person several stages), not someone who decided this stage already. Notifications
 * and reminders go to these people.
 */
export function eligibleDeciders(options: {
  flow: Pick<AccessFlow, 'id' | 'approval'>;
  stage: number;
  stageApprovers: string[];
  chainPeople: Iterable<string>;
  decisions: RecordedDecision[];
}): string[] {
  const { flow, stage, decisions } = options;
  const chainPeople = [...options.chainPeople];
  return options.stageApprovers.filter(
    ref =>
      !isSelf(flow, ref, chainPeople) &&
      decidedOtherStage(flow, ref, stage, decisions) === undefined &&
      !decisions.some(d => d.stage === stage && d.approverRef === ref),
  );
}

function isSelf(
  flow: Pick<AccessFlow, 'approval'>,
  ref: string,
  chainPeople: Iterable<string>,
): boolean {
  if (flow.approval.allowSelfApproval) {
    return false;
  }
  for (const person of chainPeople) {
    if (person === ref) {
      return true;
    }
  }
  return false;
}

/** The stage other than `stage` that `ref` decided, when the flow wants distinct people. */
function decidedOtherStage(
  flow: Pick<AccessFlow, 'approval'>,
  ref: string,
  stage: number,
  decisions: RecordedDecision[],
): number | undefined {
  if (flow.approval.allowSameApproverAcrossStages) {
    return undefined;
  }
  return decisions.find(d => d.approverRef === ref && d.stage !== stage)?.stage;
}
