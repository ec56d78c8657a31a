import { assertApprovable, canStaffDistinctly } from './approvability';

const approval = (
  stages: Array<{ approvers: string[]; minApprovals: number }>,
  options: {
    allowSelfApproval?: boolean;
    allowSameApproverAcrossStages?: boolean;
  } = {},
) => ({
  id: 'flow',
  approval: {
    stages,
    requireReason: 'none' as const,
    allowSelfApproval: options.allowSelfApproval ?? false,
    allowSameApproverAcrossStages: options.allowSameApproverAcrossStages,
  },
});

const approver = (stage: number, name: string) => ({
  stage,
  entityRef: `user:default/${name}`,
  why: 'test',
});

describe('canStaffDistinctly', () => {
  it.each<[string, string[][], number[], boolean]>([
    ['one person per stage', [['a'], ['b']], [1, 1], true],
    ['the same only person in both stages', [['a'], ['a']], [1, 1], false],
    ['a shared person and a spare', [['a'], ['a', 'b']], [1, 1], true],
    // Greedy would give stage 1 to a and then fail; matching moves a to stage 2.
    ['a choice that must be undone', [['a', 'b'], ['a']], [1, 1], true],
    [
      'a quorum that uses everyone',
      [
        ['a', 'b'],
        ['b', 'c'],
      ],
      [2, 1],
      true,
    ],
    ['a quorum with too few people', [['a', 'b'], ['b']], [2, 1], false],
    [
      'three stages, three people',
      [
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
      ],
      [1, 1, 1],
      true,
    ],
    [
      'three stages, two people',
      [
        ['a', 'b'],
        ['a', 'b'],
        ['a', 'b'],
      ],
      [1, 1, 1],
      false,
    ],
  ])('%s', (_, eligible, needed, expected) => {
    expect(canStaffDistinctly(eligible, needed)).toBe(expected);
  });
});

describe('assertApprovable', () => {
  const twoStages = [
    { approvers: ['group:leads'], minApprovals: 1 },
    { approvers: ['group:security'], minApprovals: 1 },
  ];

  it('refuses a stage with too few approvers besides the requester and grantee', () => {
    expect(() =>
      assertApprovable(
        approval([{ approvers: ['owners'], minApprovals: 1 }]),
        [approver(0, 'dana')],
        ['user:default/dana'],
      ),
    ).toThrow(
      "Flow 'flow' cannot approve this request: stage 1 needs 1 approver(s) besides you, and has 0 (owners)",
    );
    expect(() =>
      assertApprovable(
        approval([{ approvers: ['owners'], minApprovals: 1 }], {
          allowSelfApproval: true,
        }),
        [approver(0, 'dana')],
        ['user:default/dana'],
      ),
    ).not.toThrow();
  });

  it('refuses stages that only the same person could fill, unless the flow allows it', () => {
    const approvers = [approver(0, 'lee'), approver(1, 'lee')];
    expect(() =>
      assertApprovable(approval(twoStages), approvers, ['user:default/dana']),
    ).toThrow(
      "Flow 'flow' cannot approve this request: its 2 stages need 2 different approvers besides you, and fewer are eligible",
    );
    expect(() =>
      assertApprovable(
        approval(twoStages, { allowSameApproverAcrossStages: true }),
        approvers,
        ['user:default/dana'],
      ),
    ).not.toThrow();
    expect(() =>
      assertApprovable(
        approval(twoStages),
        [...approvers, approver(1, 'riley')],
        ['user:default/dana'],
      ),
    ).not.toThrow();
  });
});
