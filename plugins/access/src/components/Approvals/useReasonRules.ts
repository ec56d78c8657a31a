import { useApi } from '@backstage/core-plugin-api';
import { AccessRequest, ReasonRule } from '@jit-access/plugin-access-common';
import { useEffect, useState } from 'react';
import { accessApiRef } from '../../api';

/**
 * The reason rule (flow.approval.requireReason) of each request's flow, where the API lets us
 * learn it. Requests carry only a flow id and there is no route to read a flow, so this asks
 * which flows cover one request per flow; a flow the approver could not request under stays
 * unknown, and the dialog then learns the rule from the backend's refusal.
 */
export function useReasonRules(
  requests: AccessRequest[],
): Record<string, ReasonRule | undefined> {
  const api = useApi(accessApiRef);
  const [rules, setRules] = useState<Record<string, ReasonRule | undefined>>(
    {},
  );
  const flowIds = Array.from(new Set(requests.map(r => r.flowId))).sort();
  const key = flowIds.join(',');

  useEffect(() => {
    let current = true;
    const learn = (flowId: string, rule: ReasonRule | undefined) => {
      if (current) setRules(prev => ({ ...prev, [flowId]: rule }));
    };
    const ask = (flowId: string) => {
      const sample = requests.find(r => r.flowId === flowId)!;
      api
        .matchFlows(
          sample.items.map(({ resourceRef, permission }) => ({
            resourceRef,
            permission,
          })),
        )
        .then(result => result.flows.find(m => m.flow.id === flowId)?.flow)
        .catch(() => undefined)
        .then(flow => learn(flowId, flow?.approval.requireReason));
    };
    flowIds.filter(id => !(id in rules)).forEach(ask);
    return () => {
      current = false;
    };
    // Only new flow ids need asking.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);

  return rules;
}

export function reasonRequiredFor(
  rule: ReasonRule | undefined,
  decision: 'approve' | 'reject',
): boolean {
  return rule === 'both' || rule === decision;
}
