import { PageOptions } from '@jit-access/plugin-access-common';
import { z } from 'zod';
import { Equal, Expect } from '../lib/sameType';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

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

export type PageQueryMatchesWire = Expect<
  Equal<Partial<z.output<typeof pageQuerySchema>>, PageOptions>
>;
