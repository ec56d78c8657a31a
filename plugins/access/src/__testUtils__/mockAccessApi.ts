import {
  AccessFlow,
  AccessRequest,
  AccessRequestDetails,
  AccessResource,
} from '@jit-access/plugin-access-common';
import { AccessApi } from '../api';

/** An AccessApi whose every method answers an empty page or rejects; override what a test needs. */
export function mockAccessApi(
  overrides: Partial<AccessApi> = {},
): jest.Mocked<AccessApi> {
  const emptyPage = async () => ({ items: [] });
  const unexpected = (name: string) => async () => {
    throw new Error(`unexpected call to ${name}`);
  };
  const api: AccessApi = {
    getHealth: async () => ({ status: 'ok' }),
    getCaller: async () => ({
      userEntityRef: 'user:default/dana',
      ownershipEntityRefs: ['user:default/dana'],
      isAdmin: false,
    }),
    listResources: emptyPage,
    listBundles: emptyPage,
    matchFlows: async () => ({ flows: [], uncovered: [] }),
    scoreJustification: async () => ({ score: 0, level: 'weak', checks: [] }),
    suggestAccess: async () => ({ items: [] }),
    submitRequest: unexpected('submitRequest'),
    listRequests: emptyPage,
    getRequest: unexpected('getRequest'),
    getInbox: emptyPage,
    approveRequest: unexpected('approveRequest'),
    rejectRequest: unexpected('rejectRequest'),
    cancelRequest: unexpected('cancelRequest'),
    revokeRequest: unexpected('revokeRequest'),
    extendRequest: unexpected('extendRequest'),
    requestAgain: unexpected('requestAgain'),
    revealCredentials: unexpected('revealCredentials'),
    resetCredentials: unexpected('resetCredentials'),
    listFavorites: emptyPage,
    saveFavorite: unexpected('saveFavorite'),
    deleteFavorite: unexpected('deleteFavorite'),
    requestFavorite: unexpected('requestFavorite'),
    listTasks: emptyPage,
    completeTask: unexpected('completeTask'),
    verifyAuditChain: unexpected('verifyAuditChain'),
    listReconciliationFindings: emptyPage,
    listChatDeliveries: async () => ({ items: [], channels: [] }),
    retryChatDelivery: unexpected('retryChatDelivery'),
    ...overrides,
  };
  for (const key of Object.keys(api) as (keyof AccessApi)[]) {
    (api as any)[key] = jest.fn(api[key] as (...args: any[]) => any);
  }
  return api as jest.Mocked<AccessApi>;
}

/** An error shaped like the client's ResponseError: a status and the backend's message. */
export function apiError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`Request failed with ${statusCode}`), {
    name: 'ResponseError',
    statusCode,
    body: { error: { name: 'Error', message }, response: { statusCode } },
  });
}

const HOUR = 3600_000;

export function aRequest(
  overrides: Partial<AccessRequest> = {},
): AccessRequest {
  const now = Date.now();
  return {
    id: 'req-1',
    submissionId: 'sub-1',
    flowId: 'standard',
    flowTitle: 'Standard access',
    channel: 'portal',
    status: 'active',
    requesterRef: 'user:default/dana',
    granteeRef: 'user:default/dana',
    items: [
      {
        id: 'grant-1',
        resourceRef: 'resource:default/payments-db',
        permission: 'read',
        status: 'active',
        grantedAt: new Date(now - 3.5 * HOUR).toISOString(),
        expiresAt: new Date(now + 0.5 * HOUR).toISOString(),
        credentialsReady: true,
      },
    ],
    justification: 'Investigate OPS-12: read the ledger tables',
    answers: {},
    duration: 'PT4H',
    endAt: new Date(now + 0.5 * HOUR).toISOString(),
    createdAt: new Date(now - 4 * HOUR).toISOString(),
    updatedAt: new Date(now - 3.5 * HOUR).toISOString(),
    currentStage: 0,
    stageCount: 1,
    approvals: [
      {
        stage: 0,
        approverRef: 'user:default/lee',
        decision: 'approve',
        reason: 'Fine for the incident',
        decidedAt: new Date(now - 3.6 * HOUR).toISOString(),
      },
    ],
    approvers: [
      { stage: 0, entityRef: 'user:default/lee', why: 'owner of payments-db' },
    ],
    extension: {
      used: 0,
      max: 2,
      requiresApproval: false,
      durations: ['PT1H', 'PT4H'],
    },
    requireReason: 'none',
    ...overrides,
  };
}

export function details(
  request: AccessRequest,
  audit: AccessRequestDetails['audit'] = [],
): AccessRequestDetails {
  return { ...request, audit };
}

export function aResource(
  overrides: Partial<AccessResource> = {},
): AccessResource {
  return {
    ref: 'resource:default/payments-db',
    title: 'Payments DB',
    type: 'database',
    integration: 'postgres',
    permissions: ['read', 'write'],
    owners: ['group:default/payments'],
    tags: [],
    source: 'catalog',
    ...overrides,
  };
}

export function aFlow(overrides: Partial<AccessFlow> = {}): AccessFlow {
  return {
    id: 'standard',
    title: 'Standard',
    resources: {},
    durations: ['PT1H', 'PT4H'],
    maxDuration: 'PT8H',
    approval: {
      stages: [{ approvers: ['owners'], minApprovals: 1 }],
      requireReason: 'none',
      allowSelfApproval: false,
    },
    justification: { required: true, minLength: 10 },
    ticket: { required: false, types: [] },
    questions: [],
    extension: { maxExtensions: 1, requiresApproval: false },
    pendingTimeout: 'P1D',
    onBehalfOf: false,
    allowScheduledStart: false,
    ...overrides,
  };
}
