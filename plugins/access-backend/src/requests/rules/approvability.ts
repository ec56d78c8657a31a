import { InputError } from '@backstage/errors';
import {
  AccessFlow,
  AccessRequestApprover,
} from '@jit-access/plugin-access-common';

/**
 * Refuses a request that could never be approved: a stage with fewer approvers than it needs,
 * once the requesters and grantees (`selfRefs`) are set aside (unless the flow allows
 * self-approval), or stages that cannot all be filled by different people when the flow wants a
 * person to decide at most one stage.
 */
export function assertApprovable(
  flow: Pick<AccessFlow, 'id' | 'approval'>,
  approvers: AccessRequestApprover[],
  selfRefs: string[],
): void {
  const eligibleByStage = flow.approval.stages.map((rule, stage) => {
    const eligible = approvers
      .filter(
        a =>
          a.stage === stage &&
          (flow.approval.allowSelfApproval || !selfRefs.includes(a.entityRef)),
      )
      .map(a => a.entityRef);
    if (eligible.length < rule.minApprovals) {
      throw new InputError(
        `Flow '${flow.id}' cannot approve this request: stage ${
          stage + 1
        } needs ${rule.minApprovals} approver(s) besides you, and has ${
          eligible.length
        } (${rule.approvers.join(', ')})`,
      );
    }
    return eligible;
  });
  if (
    flow.approval.allowSameApproverAcrossStages ||
    eligibleByStage.length < 2
  ) {
    return;
  }
  const needed = flow.approval.stages.map(rule => rule.minApprovals);
  if (!canStaffDistinctly(eligibleByStage, needed)) {
    throw new InputError(
      `Flow '${flow.id}' cannot approve this request: its ${
        needed.length
      } stages need ${needed.reduce(
        (a, b) => a + b,
        0,
      )} different approvers besides you, and fewer are eligible`,
    );
  }
}

/**
 * Whether each stage can get its `needed` approvals from people who decide no other stage: a
 * bipartite matching of stage seats to people (augmenting paths; stages and approvers are few).
 */
export function canStaffDistinctly(
  eligibleByStage: string[][],
  needed: number[],
): boolean {
  const seats = needed.flatMap((count, stage) =>
    Array.from({ length: count }, () => stage),
  );
  const seatOf = new Map<string, number>();
  const assign = (seat: number, visited: Set<string>): boolean => {
    for (const person of eligibleByStage[seats[seat]]) {
      if (visited.has(person)) {
        continue;
      }
      visited.add(person);
      const taken = seatOf.get(person);
      if (taken === undefined || assign(taken, visited)) {
        seatOf.set(person, seat);
        return true;
      }
    }
    return false;
  };
  return seats.every((_, seat) => assign(seat, new Set()));
}
