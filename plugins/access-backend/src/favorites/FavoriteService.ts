import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  AccessFavorite,
  Page,
  RequestChannel,
  Submission,
  SubmissionResult,
} from '@jit-access/plugin-access-common';
import { randomUUID } from 'node:crypto';
import { FavoriteStore } from '../database/favorites/FavoriteStore';
import {
  Caller,
  RequestingCaller,
  RequestService,
  submissionOf,
  withChanges,
} from '../requests/RequestService';

/** Saved request templates: one's own only, made from one's active or closed requests. */
export class FavoriteService {
  constructor(
    private readonly store: FavoriteStore,
    private readonly requests: RequestService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(
    caller: Caller,
    requestId: string,
    name?: string,
  ): Promise<AccessFavorite> {
    const request = await this.requests.get(caller, requestId);
    if (request.requesterRef !== caller.userEntityRef) {
      throw new NotFoundError(`No request ${requestId} of yours`);
    }
    if (
      request.status === 'pending_approval' ||
      request.status === 'scheduled'
    ) {
      throw new ConflictError(
        `Only an active or closed request can become a favorite; this one is ${request.status}`,
      );
    }
    return this.store.insert({
      id: randomUUID(),
      ownerRef: caller.userEntityRef,
      name:
        name ??
        request.items
          .map(i => `${i.permission} on ${i.resourceRef}`)
          .join(', ')
          .slice(0, 255),
      template: submissionOf(request),
      createdAt: this.now(),
    });
  }

  async list(
    caller: Caller,
    limit: number,
    cursor?: string,
  ): Promise<Page<AccessFavorite>> {
    return this.store.listByOwner(caller.userEntityRef, limit, cursor);
  }

  async remove(caller: Caller, id: string): Promise<void> {
    if (!(await this.store.delete(id, caller.userEntityRef))) {
      throw new NotFoundError(`No favorite ${id} of yours`);
    }
  }

  /** Submits the favorite's template, with this time's justification and other changes. */
  async request(
    caller: RequestingCaller,
    id: string,
    changes: Partial<Submission>,
    channel: RequestChannel = 'api',
  ): Promise<SubmissionResult> {
    const template = await this.store.template(id, caller.userEntityRef);
    if (!template) {
      throw new NotFoundError(`No favorite ${id} of yours`);
    }
    return this.requests.submit(
      caller,
      withChanges(template, changes),
      channel,
    );
  }
}
