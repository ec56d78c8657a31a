import { InputError } from '@backstage/errors';
import { z } from 'zod';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** A page of a keyset-paginated list, as every list route answers. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** `limit` and `cursor` from a query string, validated. */
export const pageQuerySchema = z.object({
  limit: z.coerce
    .number({ invalid_type_error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(1024, 'cursor is too long').optional(),
});

/** Cursors are opaque to clients: base64url JSON of the sort key of the last item seen. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('cursor is not one this API issued');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError('cursor is not one this API issued');
  }
  return parsed.data;
}
