import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessBundle,
  AccessChatDeliveriesQuery,
  AccessChatDelivery,
  AccessChatDeliveryPage,
  AccessCredentialsReveal,
  AccessFavorite,
  AccessItem,
  AccessRequest,
  AccessRequestDetails,
  AccessResource,
  AuditVerification,
  DecisionBody,
  ExtendOptions,
  FavoriteBody,
  FlowMatchQuery,
  FlowMatchResult,
  InboxOptions,
  JustificationFeedback,
  JustificationFeedbackQuery,
  ListRequestsOptions,
  ListResourcesOptions,
  ListTasksOptions,
  Page,
  PageOptions,
  Resubmission,
  Submission,
  Submitted,
  SuggestionsQuery,
  SuggestionsResult,
  TaskCompletionBody,
  FulfilmentTask,
  HealthResponse,
  ReconciliationFinding,
} from '@jit-access/plugin-access-common';
import { AccessApi, Caller } from './AccessApi';

type Query = Record<string, string | number | undefined>;

/**
 * Sent with every change made through this client: the backend records that a request was made
 * (or decided) in the portal, not by a script or an AI assistant.
 */
const CHANNEL_HEADER = { 'x-access-channel': 'portal' };

/** Talks to the access backend through Backstage's discovery and (authenticated) fetch APIs. */
export class AccessClient implements AccessApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getHealth(): Promise<HealthResponse> {
    return this.get('/health');
  }

  getCaller(): Promise<Caller> {
    return this.get('/me');
  }

  listResources(options: ListResourcesOptions = {}) {
    return this.get<Page<AccessResource>>('/resources', { ...options });
  }

  listBundles(options: PageOptions = {}) {
    return this.get<Page<AccessBundle>>('/bundles', { ...options });
  }

  matchFlows(items: AccessItem[], granteeRef?: string) {
    return this.post<FlowMatchResult>('/flows/match', {
      items,
      granteeRef,
    } satisfies FlowMatchQuery);
  }

  scoreJustification(text: string, ticket?: { type?: string; id?: string }) {
    return this.post<JustificationFeedback>('/justification/feedback', {
      text,
      ticket,
    } satisfies JustificationFeedbackQuery);
  }

  suggestAccess(query: SuggestionsQuery) {
    return this.get<SuggestionsResult>('/suggestions', { ...query });
  }

  submitRequest(submission: Submission) {
    return this.post<Submitted>('/requests', submission);
  }

  listRequests(options: ListRequestsOptions = {}) {
    const { status, ...rest } = options;
    return this.get<Page<AccessRequest>>('/requests', {
      ...rest,
      status: status?.length ? status.join(',') : undefined,
    });
  }

  getRequest(id: string) {
    return this.get<AccessRequestDetails>(`/requests/${enc(id)}`);
  }

  getInbox(options: InboxOptions = {}) {
    return this.get<Page<AccessRequest>>('/inbox', { ...options });
  }

  approveRequest(id: string, reason?: string) {
    return this.post<AccessRequest>(`/requests/${enc(id)}/approve`, {
      reason,
    } satisfies DecisionBody);
  }

  rejectRequest(id: string, reason?: string) {
    return this.post<AccessRequest>(`/requests/${enc(id)}/reject`, {
      reason,
    } satisfies DecisionBody);
  }

  cancelRequest(id: string, reason?: string) {
    return this.post<AccessRequest>(`/requests/${enc(id)}/cancel`, {
      reason,
    } satisfies DecisionBody);
  }

  revokeRequest(id: string, reason?: string) {
    return this.post<AccessRequest>(`/requests/${enc(id)}/revoke`, {
      reason,
    } satisfies DecisionBody);
  }

  extendRequest(id: string, options: ExtendOptions = {}) {
    return this.post<AccessRequest>(`/requests/${enc(id)}/extend`, options);
  }

  requestAgain(id: string, changes: Resubmission = {}) {
    return this.post<Submitted>(`/requests/${enc(id)}/request-again`, changes);
  }

  revealCredentials(grantId: string) {
    return this.post<AccessCredentialsReveal>(
      `/grants/${enc(grantId)}/credentials/reveal`,
    );
  }

  resetCredentials(grantId: string) {
    return this.post<AccessCredentialsReveal>(
      `/grants/${enc(grantId)}/credentials/reset`,
    );
  }

  listFavorites(options: PageOptions = {}) {
    return this.get<Page<AccessFavorite>>('/favorites', { ...options });
  }

  saveFavorite(requestId: string, name?: string) {
    return this.post<AccessFavorite>('/favorites', {
      requestId,
      name,
    } satisfies FavoriteBody);
  }

  async deleteFavorite(id: string): Promise<void> {
    await this.send('DELETE', `/favorites/${enc(id)}`);
  }

  requestFavorite(id: string, changes: Resubmission = {}) {
    return this.post<Submitted>(`/favorites/${enc(id)}/request`, changes);
  }

  listTasks(options: ListTasksOptions = {}) {
    return this.get<Page<FulfilmentTask>>('/tasks', { ...options });
  }

  completeTask(id: string, note?: string) {
    return this.post<FulfilmentTask>(`/tasks/${enc(id)}/complete`, {
      note,
    } satisfies TaskCompletionBody);
  }

  verifyAuditChain() {
    return this.get<AuditVerification>('/admin/audit/verify');
  }

  listReconciliationFindings(options: PageOptions = {}) {
    return this.get<Page<ReconciliationFinding>>('/admin/reconciliation', {
      ...options,
    });
  }

  listChatDeliveries(options: AccessChatDeliveriesQuery = {}) {
    return this.get<AccessChatDeliveryPage>('/admin/chat/deliveries', {
      ...options,
    });
  }

  retryChatDelivery(id: string) {
    return this.post<AccessChatDelivery>(
      `/admin/chat/deliveries/${enc(id)}/retry`,
    );
  }

  private async get<T>(path: string, query?: Query): Promise<T> {
    const response = await this.send('GET', path + queryString(query));
    return (await response.json()) as T;
  }

  private async post<T>(path: string, body?: unknown): Promise<T> {
    const response = await this.send('POST', path, body ?? {});
    return (await response.json()) as T;
  }

  private async send(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('access');
    const url = `${baseUrl}${path}`;
    // A plain GET keeps the exact call shape of the simplest fetch (and of older tests).
    const response =
      method === 'GET'
        ? await this.fetchApi.fetch(url)
        : await this.fetchApi.fetch(url, {
            method,
            ...(body !== undefined
              ? {
                  headers: {
                    'content-type': 'application/json',
                    ...CHANNEL_HEADER,
                  },
                  // JSON leaves out undefined fields: the strict schemas see only what was given.
                  body: JSON.stringify(body),
                }
              : { headers: CHANNEL_HEADER }),
          });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function queryString(query?: Query): string {
  if (!query) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
