import { baseFlow, flowIssues, read } from './__testUtils__/readAccess';

describe('readAccessConfig: what AI assistants may request under a flow', () => {
  it('leaves agents out when the flow says nothing (approval by a person)', () => {
    const [flow] = read({ flows: [baseFlow()] }).flows;
    expect(flow.agents).toBeUndefined();
  });

  it.each([
    [{}, { requests: 'approval' }],
    [{ requests: 'allow' }, { requests: 'allow' }],
    [{ requests: 'deny' }, { requests: 'deny' }],
    [
      { approvers: ['security', 'user:lee'] },
      {
        requests: 'approval',
        approvers: ['group:default/security', 'user:default/lee'],
      },
    ],
    [
      { requests: 'approval', approvers: ['owners'] },
      { requests: 'approval', approvers: ['owners'] },
    ],
  ])('reads %j as %j', (agents, expected) => {
    const [flow] = read({ flows: [baseFlow({ agents })] }).flows;
    expect(flow.agents).toEqual(expected);
  });

  it.each([
    [
      { requests: 'sometimes' },
      "access.flows[0] (id 'db-owner').agents.requests: Invalid enum value. Expected 'allow' | 'approval' | 'deny', received 'sometimes'",
    ],
    [
      { approvers: [] },
      "access.flows[0] (id 'db-owner').agents.approvers: Must contain at least one entry",
    ],
    [
      { requests: 'allow', approvers: ['security'] },
      "access.flows[0] (id 'db-owner').agents.approvers: Only used when requests is 'approval' (it is 'allow')",
    ],
    [
      { requests: 'deny', reviewers: ['security'] },
      "access.flows[0] (id 'db-owner').agents.reviewers: Unknown field",
    ],
    [
      { approvers: ['a:b:c/d'] },
      "access.flows[0] (id 'db-owner').agents.approvers[0]: Invalid entity ref 'a:b:c/d': 'b:c' is not a valid namespace (or the word 'owners')",
    ],
  ])('refuses %j, naming the flow', (agents, issue) => {
    expect(flowIssues(baseFlow({ agents }))).toEqual([issue]);
  });
});
