import { AccessFlowAgents } from '@jit-access/plugin-access-common';
import { makeFlow } from '../../__testUtils__/fixtures';
import {
  assertChannelAccepted,
  extensionNeedsApproval,
  flowForChannel,
} from './agentPolicy';

const STAGE = { approvers: ['group:default/payments'], minApprovals: 1 };
const automatic = (agents?: AccessFlowAgents) =>
  makeFlow({ id: 'auto', title: 'Automatic', ...(agents ? { agents } : {}) });
const staged = (agents?: AccessFlowAgents) =>
  makeFlow({
    id: 'staged',
    approval: {
      stages: [STAGE],
      requireReason: 'none',
      allowSelfApproval: true,
    },
    ...(agents ? { agents } : {}),
  });

describe('flowForChannel', () => {
  it.each([
    [
      'an automatic flow, default',
      automatic(),
      [{ approvers: ['owners'], minApprovals: 1 }],
    ],
    [
      'an automatic flow with agents.approvers',
      automatic({
        requests: 'approval',
        approvers: ['group:default/security'],
      }),
      [{ approvers: ['group:default/security'], minApprovals: 1 }],
    ],
    [
      'an automatic flow that allows assistants',
      automatic({ requests: 'allow' }),
      [],
    ],
    ['a flow with stages', staged(), [STAGE]],
    [
      'a flow with stages that allows assistants',
      staged({ requests: 'allow' }),
      [STAGE],
    ],
  ])(
    'gives a request through an action under %s the stages %j',
    (_, flow, stages) => {
      expect(flowForChannel(flow as any, 'action').approval.stages).toEqual(
        stages,
      );
    },
  );

  it('never lets anyone approve their own request made through an action, unless the flow allows assistants', () => {
    expect(flowForChannel(staged(), 'action').approval.allowSelfApproval).toBe(
      false,
    );
    expect(
      flowForChannel(staged({ requests: 'allow' }), 'action').approval
        .allowSelfApproval,
    ).toBe(true);
  });

  it.each(['portal', 'api'] as const)(
    'leaves the flow as it is for the %s',
    channel => {
      const flow = automatic({ requests: 'approval' });
      expect(flowForChannel(flow, channel)).toBe(flow);
    },
  );
});

describe('assertChannelAccepted', () => {
  it.each([
    ['action', 'approval'],
    ['action', 'allow'],
    ['action', undefined],
    ['portal', 'deny'],
    ['api', 'deny'],
  ] as const)(
    'accepts a request through %s under a flow whose agents say %s',
    (channel, requests) => {
      const flow = automatic(requests ? { requests } : undefined);
      expect(() => assertChannelAccepted(flow, channel)).not.toThrow();
    },
  );

  it('refuses a request through an action under a flow that denies assistants, naming it', () => {
    expect(() =>
      assertChannelAccepted(automatic({ requests: 'deny' }), 'action'),
    ).toThrow(
      "Flow 'auto' (Automatic) does not accept requests from AI assistants; request this access in the portal",
    );
  });
});

describe('extensionNeedsApproval', () => {
  const extending = (requiresApproval: boolean, agents?: AccessFlowAgents) => ({
    ...automatic(agents),
    extension: { maxExtensions: 2, requiresApproval },
  });

  it.each([
    // channel, the flow's own rule, agents policy, needs approval
    ['action', false, undefined, true],
    ['action', false, 'approval', true],
    ['action', true, 'approval', true],
    ['action', false, 'allow', false],
    ['action', true, 'allow', true],
    ['portal', false, undefined, false],
    ['portal', true, undefined, true],
    ['api', false, 'approval', false],
  ] as const)(
    'through %s, where the flow says approval %s and agents %s: %s',
    (channel, requiresApproval, requests, expected) => {
      const flow = extending(
        requiresApproval,
        requests ? { requests } : undefined,
      );
      expect(extensionNeedsApproval(flow, channel)).toBe(expected);
    },
  );
});
