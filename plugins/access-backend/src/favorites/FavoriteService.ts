import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  AccessFavorite,
  Page,
  Submission,
  SubmissionResult,
} from '@jit-access/plugin-access-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { readDate } from '../lib/dates';
import {
  Caller,
  RequestingCaller,
  RequestService,
  submissionOf,
  withChanges,
} from '../requests/RequestService';
import { newestFirstPage } from '../database/newestFirst';

interface FavoriteRow {
  id: string;
  owner_ref: string;
  name: string;
  template: string;
  created_at: Date | number;
}

/** Saved request templates: one's own only, made from one's active or closed requests. */
export class FavoriteService {
  constructor(
    private readonly db: Knex,
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
    const row: FavoriteRow = {
      id: randomUUID(),
      owner_ref: caller.userEntityRef,
      name:
        name ??
        request.items
          .map(i => `${i.permission} on ${i.resourceRef}`)
          .join(', ')
          .slice(0, 255),
      template: JSON.stringify(submissionOf(request)),
      created_at: this.now(),
    };
    await this.db('access_favorites').insert(row);
    return toFavorite(row);
  }

  async list(
    caller: Caller,
    limit: number,
    cursor?: string,
  ): Promise<Page<AccessFavorite>> {
    const query = this.db('access_favorites').where(
      'owner_ref',
      caller.userEntityRef,
    );
    const page = await newestFirstPage<FavoriteRow>(query, limit, cursor);
    return { items: page.items.map(toFavorite), nextCursor: page.nextCursor };
  }

  async remove(caller: Caller, id: string): Promise<void> {
    const deleted = await this.db('access_favorites')
      .where({ id, owner_ref: caller.userEntityRef })
      .delete();
    if (deleted === 0) {
      throw new NotFoundError(`No favorite ${id} of yours`);
    }
  }

  /** Submits the favorite's template, with this time's justification and other changes. */
  async request(
    caller: RequestingCaller,
    id: string,
    changes: Partial<Submission>,
  ): Promise<SubmissionResult> {
    const row = await this.db<FavoriteRow>('access_favorites')
      .where({ id, owner_ref: caller.userEntityRef })
      .first();
    if (!row) {
      throw new NotFoundError(`No favorite ${id} of yours`);
    }
    return this.requests.submit(
      caller,
      withChanges(JSON.parse(row.template), changes),
    );
  }
}

function toFavorite(row: FavoriteRow): AccessFavorite {
  return {
    id: row.id,
    name: row.name,
    template: JSON.parse(row.template),
    createdAt: readDate(row.created_at).toISOString(),
  };
}
