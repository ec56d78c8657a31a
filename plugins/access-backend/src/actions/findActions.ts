/**
 * Actions that find what to request: suggestions for a need in words, the resources and bundles,
 * and the flows a choice of items would go through. All read only.
 */
import { agentPolicy, flowForChannel } from '../requests/rules/agentPolicy';
import {
  DEFAULT_SUGGESTIONS,
  MAX_NEED_LENGTH,
  MAX_SUGGESTIONS,
} from '../suggestions/SuggestionService';
import { ActionModule, Zod } from './actionContext';

const READ_ONLY = { readOnly: true, destructive: false, idempotent: true };

const itemSchema = (z: Zod) =>
  z.object({
    resourceRef: z
      .string()
      .min(1)
      .max(255)
      .describe('The resource’s entity ref, e.g. resource:default/payments-db'),
    permission: z.string().min(1).max(100),
  });

export const addFindActions: ActionModule = ({
  actionsRegistry,
  callers,
  resources,
  bundles,
  requests,
  suggestions,
}) => {
  actionsRegistry.register({
    name: 'suggest-access',
    title: 'Suggest access for a need',
    description:
      'Given what the user needs to do, in words, suggests the resources (with the permission that fits) and bundles to request, the access flow each would go through, the duration it offers and whether a person must approve. Start here; then request-access.',
    schema: {
      input: z =>
        z.object({
          need: z
            .string()
            .trim()
            .min(1)
            .max(MAX_NEED_LENGTH)
            .describe(
              'What the user needs to do, e.g. "read the payments database to debug failed payouts"',
            ),
          limit: z
            .number()
            .int()
            .min(1)
            .max(MAX_SUGGESTIONS)
            .optional()
            .describe(`How many suggestions, default ${DEFAULT_SUGGESTIONS}`),
        }),
      output: z =>
        z.object({
          suggestions: z.array(
            z.object({
              kind: z.enum(['resource', 'bundle']),
              resourceRef: z.string().optional(),
              bundleId: z.string().optional(),
              title: z.string(),
              permission: z.string().optional(),
              flowId: z.string().optional(),
              flowTitle: z.string().optional(),
              duration: z.string().optional(),
              requiresApproval: z.boolean(),
              score: z.number(),
              reasons: z.array(z.string()),
            }),
          ),
        }),
    },
    attributes: READ_ONLY,
    examples: [
      {
        title: 'A database to debug payouts',
        input: { need: 'read the payments database to debug failed payouts' },
      },
    ],
    action: async ({ input, credentials }) => {
      const me = await callers.requester(credentials, { admin: false });
      const items = await suggestions.suggest(
        me,
        { q: input.need, limit: input.limit ?? DEFAULT_SUGGESTIONS },
        'action',
      );
      return { output: { suggestions: items } };
    },
  });

  actionsRegistry.register({
    name: 'search-resources',
    title: 'Search requestable resources',
    description:
      'Lists the resources one can request access to, optionally filtered by text (in the ref, title, description, type or tags), type or permission.',
    schema: {
      input: z =>
        z.object({
          query: z.string().max(200).optional(),
          type: z.string().max(100).optional(),
          permission: z.string().max(100).optional(),
          limit: z.number().int().min(1).max(100).optional(),
        }),
      output: z =>
        z.object({
          resources: z.array(
            z.object({
              ref: z.string(),
              title: z.string(),
              type: z.string(),
              description: z.string().optional(),
              permissions: z.array(z.string()),
              owners: z.array(z.string()),
              tags: z.array(z.string()),
            }),
          ),
          more: z.boolean().describe('More match than were listed'),
        }),
    },
    attributes: READ_ONLY,
    action: async ({ input, credentials }) => {
      await callers.caller(credentials, { admin: false });
      const page = await resources.search({
        q: input.query,
        type: input.type,
        permission: input.permission,
        limit: input.limit ?? 25,
      });
      return {
        output: {
          resources: page.items.map(r => ({
            ref: r.ref,
            title: r.title,
            type: r.type,
            ...(r.description ? { description: r.description } : {}),
            permissions: r.permissions,
            owners: r.owners,
            tags: r.tags,
          })),
          more: Boolean(page.nextCursor),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-bundles',
    title: 'List access bundles',
    description:
      'Lists the bundles: named sets of resources and permissions that are requested together (e.g. what an on-call engineer needs).',
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          bundles: z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              description: z.string().optional(),
              items: z.array(itemSchema(z)),
            }),
          ),
        }),
    },
    attributes: READ_ONLY,
    action: async ({ credentials }) => {
      await callers.caller(credentials, { admin: false });
      return {
        output: {
          bundles: bundles.map(b => ({
            id: b.id,
            title: b.title,
            ...(b.description ? { description: b.description } : {}),
            items: b.items,
          })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'match-flows',
    title: 'Find the access flows for items',
    description:
      'For resources and permissions the user would request, tells which access flows cover them and what each asks for (durations, justification, ticket, questions, approval), and which items no flow covers and why. When several flows cover an item, request-access needs flowId.',
    schema: {
      input: z => z.object({ items: z.array(itemSchema(z)).min(1).max(100) }),
      output: z =>
        z.object({
          flows: z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              items: z.array(itemSchema(z)),
              durations: z.array(z.string()),
              requiresApproval: z.boolean(),
              acceptsAssistants: z.boolean(),
              justification: z.object({
                required: z.boolean(),
                minLength: z.number(),
              }),
              ticket: z.object({
                required: z.boolean(),
                types: z.array(z.string()),
                pattern: z.string().optional(),
              }),
              questions: z.array(
                z.object({
                  id: z.string(),
                  label: z.string(),
                  required: z.boolean(),
                  choices: z.array(z.string()).optional(),
                }),
              ),
            }),
          ),
          uncovered: z.array(itemSchema(z).extend({ reason: z.string() })),
        }),
    },
    attributes: READ_ONLY,
    action: async ({ input, credentials }) => {
      const me = await callers.requester(credentials);
      const result = await requests.matchFlows(me, input.items);
      return {
        output: {
          flows: result.flows.map(({ flow, items }) => ({
            id: flow.id,
            title: flow.title,
            items,
            durations: flow.durations,
            requiresApproval:
              flowForChannel(flow, 'action').approval.stages.length > 0,
            acceptsAssistants: agentPolicy(flow) !== 'deny',
            justification: flow.justification,
            ticket: flow.ticket,
            questions: flow.questions.map(q => ({
              id: q.id,
              label: q.label,
              required: q.required,
              ...(q.choices ? { choices: q.choices } : {}),
            })),
          })),
          uncovered: result.uncovered,
        },
      };
    },
  });
};
