/** Suggestions: what to request for a need described in words. */
import { SuggestionsQuery } from '@jit-access/plugin-access-common';
import { z } from 'zod';
import { Equal, Expect } from '../../lib/sameType';
import {
  DEFAULT_SUGGESTIONS,
  MAX_NEED_LENGTH,
  MAX_SUGGESTIONS,
} from '../../suggestions/SuggestionService';
import { RouteModule } from '../routeContext';
import { parseInput } from '../../lib/validation';

const suggestionsQuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .min(1, 'q must describe what you need')
      .max(MAX_NEED_LENGTH, `q is at most ${MAX_NEED_LENGTH} characters`),
    limit: z.coerce
      .number({ invalid_type_error: 'limit must be a number' })
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(MAX_SUGGESTIONS, `limit must be at most ${MAX_SUGGESTIONS}`)
      .default(DEFAULT_SUGGESTIONS),
  })
  .strict();

/** Fails compilation when this schema and the common package's wire type drift apart. */
export type SuggestionSchemasMatchWire = [
  Expect<
    Equal<
      Partial<z.output<typeof suggestionsQuerySchema>>,
      Partial<SuggestionsQuery>
    >
  >,
];

export const addSuggestionRoutes: RouteModule = (
  router,
  { suggestions, requester },
) => {
  router.get('/suggestions', async (req, res) => {
    const me = await requester(req, { admin: false });
    const query = parseInput(suggestionsQuerySchema, req.query, 'query');
    res.json({ items: await suggestions.suggest(me, query, 'api') });
  });
};
