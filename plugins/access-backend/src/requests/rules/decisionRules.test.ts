import {
  checkDecision,
  DecisionFacts,
  eligibleDeciders,
  RecordedDecision,
} from './decisionRules';

const flow = (approval: Partial<DecisionFacts['flow']['approval']> = {}) => ({
  id: 'two-stage',
  approval: {
    stages: [
      { approvers: ['group:default/leads'], minApprovals: 1 },
      { approvers: ['group:default/security'], minApprovals: 1 },
    ],
    requireReason: 'none' as const,
    allowSelfApproval: false,
    ...approval,
  },
});

const facts = (over: Partial<DecisionFacts> = {}): DecisionFacts => ({
  flow: flow(),
  deciderRef: 'user:default/lee',
  stage: 1,
  isStageApprover: true,
  chainPeople: ['user:default/dana'],
  decisions: [],
  ...over,
});

const refusal = (
  f: DecisionFacts,
  decision: 'approve' | 'reject' = 'approve',
  reason?: string,
) => {
  try {
    checkDecision(f, decision, reason);
    return undefined;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
};

const LEE_STAGE_1: RecordedDecision = {
  stage: 0,
  approverRef: 'user:default/lee',
  decision: 'approve',
};

describe('checkDecision', () => {
  it.each<[string, DecisionFacts, string | undefined]>([
    ['a stage approver, first time', facts(), undefined],
    [
      'a token issued to a service acting for the approver',
      facts({ actor: 'plugin:scaffolder' }),
      'NotAllowedError: Decisions come from people directly; this token was issued to plugin:scaffolder acting for you',
    ],
    [
      'someone who is not an approver of the stage',
      facts({ isStageApprover: false }),
      'NotAllowedError: You are not an approver of stage 2 of this request',
    ],
    [
      'the requester',
      facts({ deciderRef: 'user:default/dana' }),
      'NotAllowedError: You cannot decide on your own request',
    ],
    [
      'the requester, when the flow allows self-approval',
      facts({
        deciderRef: 'user:default/dana',
        flow: flow({ allowSelfApproval: true }),
      }),
      undefined,
    ],
    [
      'the original requester of an extension chain',
      facts({ chainPeople: ['user:default/lee', 'user:default/sam'] }),
      'NotAllowedError: You cannot decide on your own request',
    ],
    [
      'the decider of an earlier stage',
      facts({ decisions: [LEE_STAGE_1] }),
      "NotAllowedError: You decided stage 1 of this request; flow 'two-stage' needs a different person for each stage",
    ],
    [
      'the decider of an earlier stage, when the flow allows one person several stages',
      facts({
        decisions: [LEE_STAGE_1],
        flow: flow({ allowSameApproverAcrossStages: true }),
      }),
      undefined,
    ],
    [
      'someone who decided this stage already',
      facts({ decisions: [{ ...LEE_STAGE_1, stage: 1 }] }),
      'ConflictError: You already decided stage 2 (approve)',
    ],
    [
      'another approver after someone else decided an earlier stage',
      facts({
        decisions: [{ ...LEE_STAGE_1, approverRef: 'user:default/kim' }],
      }),
      undefined,
    ],
  ])('%s', (_, given, expected) => {
    expect(refusal(given)).toBe(expected);
  });

  it.each<
    ['none' | 'reject' | 'approve' | 'both', 'approve' | 'reject', boolean]
  >([
    ['none', 'approve', false],
    ['none', 'reject', false],
    ['reject', 'reject', true],
    ['reject', 'approve', false],
    ['approve', 'approve', true],
    ['approve', 'reject', false],
    ['both', 'approve', true],
    ['both', 'reject', true],
  ])(
    'requireReason %s: to %s without a reason is refused: %s',
    (rule, decision, refused) => {
      const given = facts({ flow: flow({ requireReason: rule }) });
      expect(refusal(given, decision, '  ')).toBe(
        refused
          ? `InputError: reason: flow 'two-stage' requires a reason to ${decision}`
          : undefined,
      );
      expect(refusal(given, decision, 'Looked at the ticket')).toBeUndefined();
    },
  );
});

describe('eligibleDeciders', () => {
  const stageApprovers = [
    'user:default/lee',
    'user:default/riley',
    'user:default/dana',
  ];

  it('leaves out the chain, earlier stages and whoever decided this stage', () => {
    expect(
      eligibleDeciders({
        flow: flow(),
        stage: 1,
        stageApprovers,
        chainPeople: ['user:default/dana'],
        decisions: [LEE_STAGE_1],
      }),
    ).toEqual(['user:default/riley']);
    expect(
      eligibleDeciders({
        flow: flow(),
        stage: 1,
        stageApprovers,
        chainPeople: ['user:default/sam'],
        decisions: [{ ...LEE_STAGE_1, stage: 1 }],
      }),
    ).toEqual(['user:default/riley', 'user:default/dana']);
  });

  it('keeps them where the flow allows it', () => {
    expect(
      eligibleDeciders({
        flow: flow({
          allowSelfApproval: true,
          allowSameApproverAcrossStages: true,
        }),
        stage: 1,
        stageApprovers,
        chainPeople: ['user:default/dana'],
        decisions: [LEE_STAGE_1],
      }),
    ).toEqual(stageApprovers);
  });
});
