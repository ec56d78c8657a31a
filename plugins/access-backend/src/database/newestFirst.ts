import { Page } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { z } from 'zod';
import { readDate } from '../lib/dates';
import { decodeCursor, encodeCursor } from '../lib/cursors';

const cursorSchema = z.object({
  // Within what a JavaScript Date can hold.
  createdAt: z.number().int().min(0).max(8_640_000_000_000_000),
  id: z.string().max(64),
});

/**
 * One page of rows, newest first by (created_at, id), after the cursor of the previous page.
 * The keyset is a row comparison so that PostgreSQL seeks a (…, created_at, id) index to it.
 */
export async function newestFirstPage<
  T extends { id: string; created_at: Date | number },
>(
  query: Knex.QueryBuilder,
  limit: number,
  cursor: string | undefined,
): Promise<Page<T>> {
  if (cursor) {
    const after = decodeCursor(cursor, cursorSchema);
    query.whereRaw('(created_at, id) < (?, ?)', [
      new Date(after.createdAt),
      after.id,
    ]);
  }
  const rows = (await query
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit + 1)) as T[];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > limit
        ? encodeCursor({
            createdAt: readDate(last.created_at).getTime(),
            id: last.id,
          })
        : undefined,
  };
}
