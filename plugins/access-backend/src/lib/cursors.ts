import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * Keyset cursors: opaque to clients, base64url JSON of the sort key of the last item of a page.
 * A cursor that does not decode to the sort key the list expects is refused as bad input.
 */
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
