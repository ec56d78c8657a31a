import { AccessFlow, AccessResource } from '@jit-access/plugin-access-common';

/** A flow with every rule at its default, for tests to override. */
export function makeFlow(
  overrides: Partial<AccessFlow> & { id: string },
): AccessFlow {
  return {
    title: overrides.id,
    resources: { types: ['database'] },
    durations: ['PT1H'],
    maxDuration: 'PT8H',
    approval: { stages: [], requireReason: 'none', allowSelfApproval: false },
    justification: { required: false, minLength: 0 },
    ticket: { required: false, types: [] },
    questions: [],
    extension: { maxExtensions: 0, requiresApproval: true },
    pendingTimeout: 'P7D',
    onBehalfOf: false,
    allowScheduledStart: false,
    ...overrides,
  };
}

export function makeResource(
  name: string,
  overrides: Partial<AccessResource> = {},
): AccessResource {
  return {
    ref: `resource:default/${name}`,
    title: name,
    type: 'database',
    integration: 'manual',
    permissions: ['read', 'write'],
    owners: ['group:default/payments'],
    tags: [],
    source: 'config',
    ...overrides,
  };
}
