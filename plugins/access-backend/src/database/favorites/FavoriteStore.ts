import {
  AccessFavorite,
  Page,
  Submission,
} from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { readDate } from '../../lib/dates';
import { newestFirstPage } from '../newestFirst';

const TABLE = 'access_favorites';

interface FavoriteRow {
  id: string;
  owner_ref: string;
  name: string;
  template: string;
  created_at: Date | number;
}

/** A favorite as it is saved: whose it is, and the submission it repeats. */
export interface NewFavorite {
  id: string;
  ownerRef: string;
  name: string;
  template: Submission;
  createdAt: Date;
}

/** Saved request templates (table `access_favorites`), always read and changed by their owner. */
export class FavoriteStore {
  constructor(private readonly db: Knex) {}

  /** Saves the favorite; answers it as it reads back. */
  async insert(favorite: NewFavorite): Promise<AccessFavorite> {
    const row: FavoriteRow = {
      id: favorite.id,
      owner_ref: favorite.ownerRef,
      name: favorite.name,
      template: JSON.stringify(favorite.template),
      created_at: favorite.createdAt,
    };
    await this.db(TABLE).insert(row);
    return toFavorite(row);
  }

  /** The owner's favorites, newest first. */
  async listByOwner(
    ownerRef: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<AccessFavorite>> {
    const query = this.db(TABLE).where('owner_ref', ownerRef);
    const page = await newestFirstPage<FavoriteRow>(query, limit, cursor);
    return { items: page.items.map(toFavorite), nextCursor: page.nextCursor };
  }

  /** Deletes the owner's favorite; false when the owner has none with that id. */
  async delete(id: string, ownerRef: string): Promise<boolean> {
    const deleted = await this.db(TABLE)
      .where({ id, owner_ref: ownerRef })
      .delete();
    return deleted > 0;
  }

  /** The submission the owner's favorite repeats, or undefined when there is none. */
  async template(
    id: string,
    ownerRef: string,
  ): Promise<Submission | undefined> {
    const row = await this.db<FavoriteRow>(TABLE)
      .where({ id, owner_ref: ownerRef })
      .first();
    return row ? JSON.parse(row.template) : undefined;
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
