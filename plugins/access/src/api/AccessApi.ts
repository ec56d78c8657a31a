import { createApiRef } from '@backstage/core-plugin-api';
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
  CallerIdentity,
  ExtendOptions,
  FlowMatchResult,
  InboxOptions,
  JustificationFeedback,
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
  FulfilmentTask,
  HealthResponse,
  ReconciliationFinding,
} from '@jit-access/plugin-access-common';

/** `GET /me`: who is signed in, what they own, and whether they are an admin. */
export type Caller = CallerIdentity;

/** The frontend's view of the access backend's HTTP API (`/api/access`). */
export interface AccessApi {
  getHealth(): Promise<HealthResponse>;
  getCaller(): Promise<Caller>;

  listResources(options?: ListResourcesOptions): Promise<Page<AccessResource>>;
  listBundles(options?: PageOptions): Promise<Page<AccessBundle>>;
  matchFlows(
    items: AccessItem[],
    granteeRef?: string,
  ): Promise<FlowMatchResult>;
  scoreJustification(
    text: string,
    ticket?: { type?: string; id?: string },
  ): Promise<JustificationFeedback>;

  /** What to request for a need described in words, best first. */
  suggestAccess(query: SuggestionsQuery): Promise<SuggestionsResult>;

  submitRequest(submission: Submission): Promise<Submitted>;
  listRequests(options?: ListRequestsOptions): Promise<Page<AccessRequest>>;
  getRequest(id: string): Promise<AccessRequestDetails>;
  getInbox(options?: InboxOptions): Promise<Page<AccessRequest>>;
  approveRequest(id: string, reason?: string): Promise<AccessRequest>;
  rejectRequest(id: string, reason?: string): Promise<AccessRequest>;
  cancelRequest(id: string, reason?: string): Promise<AccessRequest>;
  revokeRequest(id: string, reason?: string): Promise<AccessRequest>;
  extendRequest(id: string, options?: ExtendOptions): Promise<AccessRequest>;
  requestAgain(id: string, changes?: Resubmission): Promise<Submitted>;

  revealCredentials(grantId: string): Promise<AccessCredentialsReveal>;
  resetCredentials(grantId: string): Promise<AccessCredentialsReveal>;

  listFavorites(options?: PageOptions): Promise<Page<AccessFavorite>>;
  saveFavorite(requestId: string, name?: string): Promise<AccessFavorite>;
  deleteFavorite(id: string): Promise<void>;
  requestFavorite(id: string, changes?: Resubmission): Promise<Submitted>;

  listTasks(options?: ListTasksOptions): Promise<Page<FulfilmentTask>>;
  completeTask(id: string, note?: string): Promise<FulfilmentTask>;

  verifyAuditChain(): Promise<AuditVerification>;
  listReconciliationFindings(
    options?: PageOptions,
  ): Promise<Page<ReconciliationFinding>>;
  /** The chat outbox, newest first, and the chat channels installed (none: chat is off). */
  listChatDeliveries(
    options?: AccessChatDeliveriesQuery,
  ): Promise<AccessChatDeliveryPage>;
  /** Queues a failed chat message again. */
  retryChatDelivery(id: string): Promise<AccessChatDelivery>;
}

export const accessApiRef = createApiRef<AccessApi>({
  id: 'plugin.access.service',
});
