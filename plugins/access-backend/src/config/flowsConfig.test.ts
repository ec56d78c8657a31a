import { baseFlow, flowIssues, read } from './__testUtils__/readAccess';

describe('readAccessConfig: flows', () => {
  it('accepts a maxDuration equal to the longest duration', () => {
    const [flow] = read({
      flows: [baseFlow({ durations: ['PT1H', 'PT2H'], maxDuration: 'PT2H' })],
    }).flows;
    expect(flow.maxDuration).toBe('PT2H');
  });

  describe('rejects', () => {
    it('an unknown field in a flow', () => {
      expect(flowIssues(baseFlow({ approvers: ['owners'] }))).toEqual([
        "access.flows[0] (id 'db-owner').approvers: Unknown field",
      ]);
    });

    it('an unknown nested field', () => {
      expect(
        flowIssues(
          baseFlow({
            approval: { stages: [{ approvers: ['owners'], min: 2 }] },
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').approval.stages[0].min: Unknown field",
      ]);
    });

    it('a duplicate flow id', () => {
      expect(
        flowIssues(
          baseFlow(),
          baseFlow({ id: 'other' }),
          baseFlow({ title: 'Again' }),
        ),
      ).toEqual([
        "access.flows[2] (id 'db-owner').id: Duplicate flow id 'db-owner' (also used by access.flows[0])",
      ]);
    });

    it('a missing required field', () => {
      const { title, ...flow } = baseFlow();
      expect(title).toBeDefined();
      expect(flowIssues(flow)).toEqual([
        "access.flows[0] (id 'db-owner').title: Required",
      ]);
    });

    it('a duration that is not ISO-8601', () => {
      expect(flowIssues(baseFlow({ durations: ['PT1H', '2 hours'] }))).toEqual([
        "access.flows[0] (id 'db-owner').durations[1]: Invalid ISO-8601 duration '2 hours' (e.g. PT8H, P1D)",
      ]);
    });

    it('a zero or negative duration', () => {
      expect(
        flowIssues(baseFlow({ durations: ['P0D'], pendingTimeout: 'PT-5M' })),
      ).toEqual([
        "access.flows[0] (id 'db-owner').durations[0]: Duration 'P0D' must be longer than zero",
        "access.flows[0] (id 'db-owner').pendingTimeout: Duration 'PT-5M' must be longer than zero",
      ]);
    });

    it('an empty list of durations', () => {
      expect(flowIssues(baseFlow({ durations: [] }))).toEqual([
        "access.flows[0] (id 'db-owner').durations: Must contain at least one entry",
      ]);
    });

    it('a duration above maxDuration', () => {
      expect(
        flowIssues(
          baseFlow({ durations: ['PT1H', 'P2D', 'P1D'], maxDuration: 'P1D' }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').durations[1]: Duration 'P2D' is longer than maxDuration 'P1D'",
      ]);
    });

    it('an invalid maxDuration', () => {
      expect(flowIssues(baseFlow({ maxDuration: 'forever' }))).toEqual([
        "access.flows[0] (id 'db-owner').maxDuration: Invalid ISO-8601 duration 'forever' (e.g. PT8H, P1D)",
      ]);
    });

    it('minApprovals of 0', () => {
      expect(
        flowIssues(
          baseFlow({
            approval: { stages: [{ approvers: ['owners'], minApprovals: 0 }] },
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').approval.stages[0].minApprovals: Number must be greater than or equal to 1",
      ]);
    });

    it('minApprovals given as a string', () => {
      expect(
        flowIssues(
          baseFlow(),
          baseFlow({ id: 'x' }),
          baseFlow({
            id: 'db-admin',
            approval: {
              stages: [{ approvers: ['owners'], minApprovals: '2' }],
            },
          }),
        ),
      ).toEqual([
        "access.flows[2] (id 'db-admin').approval.stages[0].minApprovals: Expected number, received string",
      ]);
    });

    it('an approver of kind component', () => {
      expect(
        flowIssues(
          baseFlow({
            approval: { stages: [{ approvers: ['owners', 'component:api'] }] },
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').approval.stages[0].approvers[1]: Entity ref 'component:api' has kind 'component', expected one of: user, group (or the word 'owners')",
      ]);
    });

    it('a stage without approvers', () => {
      expect(
        flowIssues(baseFlow({ approval: { stages: [{ approvers: [] }] } })),
      ).toEqual([
        "access.flows[0] (id 'db-owner').approval.stages[0].approvers: Must contain at least one entry",
      ]);
    });

    it('an unknown requireReason', () => {
      expect(
        flowIssues(baseFlow({ approval: { requireReason: 'always' } })),
      ).toEqual([
        "access.flows[0] (id 'db-owner').approval.requireReason: Invalid enum value. Expected 'none' | 'reject' | 'approve' | 'both', received 'always'",
      ]);
    });

    it('a ticket pattern that is not a regular expression', () => {
      const issues = flowIssues(baseFlow({ ticket: { pattern: '[A-Z+-(' } }));
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatch(
        /^access\.flows\[0\] \(id 'db-owner'\)\.ticket\.pattern: Invalid regular expression '\[A-Z\+-\(': .+/,
      );
    });

    it('a choice question without choices', () => {
      expect(
        flowIssues(
          baseFlow({
            questions: [
              { id: 'env', label: 'Environment', type: 'choice' },
              { id: 'team', label: 'Team', type: 'choice', choices: [] },
            ],
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').questions[0].choices: Required, with at least one entry, when type is 'choice'",
        "access.flows[0] (id 'db-owner').questions[1].choices: Required, with at least one entry, when type is 'choice'",
      ]);
    });

    it('choices on a text question', () => {
      expect(
        flowIssues(
          baseFlow({
            questions: [
              { id: 'why', label: 'Why?', type: 'text', choices: ['a'] },
            ],
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').questions[0].choices: Only allowed when type is 'choice'",
      ]);
    });

    it('an unknown question type', () => {
      expect(
        flowIssues(
          baseFlow({ questions: [{ id: 'q', label: 'Q', type: 'number' }] }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').questions[0].type: Invalid enum value. Expected 'text' | 'choice', received 'number'",
      ]);
    });

    it('a duplicate question id', () => {
      expect(
        flowIssues(
          baseFlow({
            questions: [
              { id: 'why', label: 'Why?', type: 'text' },
              { id: 'env', label: 'Env', type: 'choice', choices: ['prod'] },
              { id: 'why', label: 'Why again?', type: 'text' },
            ],
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').questions[2].id: Duplicate question id 'why' (also used by questions[0])",
      ]);
    });

    it('a bad entity ref in requestors', () => {
      expect(
        flowIssues(baseFlow({ requestors: ['user:', 'dana smith'] })),
      ).toEqual([
        "access.flows[0] (id 'db-owner').requestors[0]: Invalid entity ref 'user:': expected [<kind>:][<namespace>/]<name>",
        "access.flows[0] (id 'db-owner').requestors[1]: Invalid entity ref 'dana smith': 'dana smith' is not a valid entity name",
      ]);
    });

    it('a requestor that is not a user or group', () => {
      expect(flowIssues(baseFlow({ requestors: ['system:payments'] }))).toEqual(
        [
          "access.flows[0] (id 'db-owner').requestors[0]: Entity ref 'system:payments' has kind 'system', expected one of: user, group",
        ],
      );
    });

    it('a bad resource ref in the selector', () => {
      expect(
        flowIssues(baseFlow({ resources: { refs: ['resource:a/b/c'] } })),
      ).toEqual([
        "access.flows[0] (id 'db-owner').resources.refs[0]: Invalid entity ref 'resource:a/b/c': 'b/c' is not a valid entity name",
      ]);
    });

    it('an empty resources selector', () => {
      expect(
        flowIssues(
          baseFlow({ resources: {} }),
          baseFlow({ id: 'empty-lists', resources: { refs: [], tags: [] } }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').resources: Must select resources with at least one non-empty list among: refs, types, integrations, tags",
        "access.flows[1] (id 'empty-lists').resources: Must select resources with at least one non-empty list among: refs, types, integrations, tags",
      ]);
    });

    it('negative or fractional limits', () => {
      expect(
        flowIssues(
          baseFlow({
            justification: { minLength: -1 },
            extension: { maxExtensions: 1.5 },
          }),
        ),
      ).toEqual([
        "access.flows[0] (id 'db-owner').justification.minLength: Number must be greater than or equal to 0",
        "access.flows[0] (id 'db-owner').extension.maxExtensions: Expected integer, received float",
      ]);
    });

    it('a boolean given as a string', () => {
      expect(flowIssues(baseFlow({ onBehalfOf: 'yes' }))).toEqual([
        "access.flows[0] (id 'db-owner').onBehalfOf: Expected boolean, received string",
      ]);
    });

    it('an empty permissions list on a flow', () => {
      expect(flowIssues(baseFlow({ permissions: [] }))).toEqual([
        "access.flows[0] (id 'db-owner').permissions: Must contain at least one entry",
      ]);
    });
  });
});
