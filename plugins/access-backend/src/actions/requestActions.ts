/**
 * Actions on the user's requests: asking for access, following the requests, withdrawing one.
 * Each runs as the calling user through the same commands, rules and permissions as the HTTP API;
 * a request made here is recorded as made through an action (channel `action`), and the flow's
 * agents policy applies to it. No action approves or rejects.
 */
import {
  accessRequestCreatePermission,
  REQUEST_STATUSES,
} from '@jit-access/plugin-access-common';
import { decisionSchema, submissionSchema } from '../requests/submissionSchema';
import { parseInput } from '../lib/validation';
import { ActionModule, Zod } from './actionContext';
import {
  describeRequest,
  requestDetailsSchema,
  requestSummarySchema,
  summarise,
} from './requestSummary';

const requestIdSchema = (z: Zod) =>
  z.object({ requestId: z.string().uuid().describe('The request’s id') });

export const addRequestActions: ActionModule = ({
  actionsRegistry,
  callers,
  requests,
  audited,
  limited,
}) => {
  actionsRegistry.register({
    name: 'request-access',
    title: 'Request access',
    description:
      'Requests access for the signed-in user: resources and permissions (items) or a bundle, for a duration the flow offers, with the justification, ticket and answers the flow asks for (see match-flows). Unless the flow allows otherwise, a person must approve a request made this way; the answer says each request’s status and its page in the portal.',
    schema: {
      input: z =>
        z.object({
          items: z
            .array(
              z.object({
                resourceRef: z.string().min(1).max(255),
                permission: z.string().min(1).max(100),
              }),
            )
            .max(100)
            .optional(),
          bundleId: z.string().min(1).max(255).optional(),
          duration: z
            .string()
            .max(64)
            .optional()
            .describe('ISO-8601, one the flow offers, e.g. PT1H'),
          justification: z.string().max(4000).optional(),
          ticket: z
            .object({
              type: z.string().min(1).max(64).optional(),
              id: z.string().min(1).max(255),
            })
            .optional(),
          answers: z.record(z.string(), z.string().max(2000)).optional(),
          flowId: z
            .string()
            .max(255)
            .optional()
            .describe('Which flow, when several cover an item'),
        }),
      output: z =>
        z.object({
          submissionId: z.string(),
          requests: z.array(requestSummarySchema(z)),
        }),
    },
    attributes: { readOnly: false, destructive: false, idempotent: false },
    action: async ({ input, credentials }) => {
      const me = await callers.requester(credentials, {
        requires: accessRequestCreatePermission,
      });
      await limited('submissions', me.userEntityRef);
      const { bundleId, ...rest } = input;
      const submission = parseInput(
        submissionSchema,
        { ...rest, ...(bundleId ? { bundle: { id: bundleId } } : {}) },
        'request',
      );
      const result = await audited(
        credentials,
        'request-submit',
        'medium',
        {},
        () => requests.submit(me, submission, 'action'),
      );
      return {
        output: {
          submissionId: result.submissionId,
          requests: result.requests.map(summarise),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-my-requests',
    title: 'List my access requests',
    description:
      'Lists the signed-in user’s access requests, newest first, optionally by status (e.g. pending_approval, active).',
    schema: {
      input: z =>
        z.object({
          status: z.array(z.enum(REQUEST_STATUSES)).optional(),
          limit: z.number().int().min(1).max(100).optional(),
          cursor: z.string().max(1024).optional(),
        }),
      output: z =>
        z.object({
          requests: z.array(requestSummarySchema(z)),
          nextCursor: z.string().optional(),
        }),
    },
    attributes: { readOnly: true, destructive: false, idempotent: true },
    action: async ({ input, credentials }) => {
      const me = await callers.reader(credentials, { admin: false });
      const page = await requests.list(me, {
        view: 'mine',
        statuses: input.status,
        limit: input.limit ?? 20,
        cursor: input.cursor,
      });
      return {
        output: {
          requests: page.items.map(summarise),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-request',
    title: 'Get an access request',
    description:
      'One access request the user may see: its status, items, who may still decide it, the decisions and its history.',
    schema: {
      input: requestIdSchema,
      output: z => z.object({ request: requestDetailsSchema(z) }),
    },
    attributes: { readOnly: true, destructive: false, idempotent: true },
    action: async ({ input, credentials }) => {
      const me = await callers.reader(credentials);
      const request = await requests.get(me, input.requestId);
      return { output: { request: describeRequest(request) } };
    },
  });

  actionsRegistry.register({
    name: 'cancel-request',
    title: 'Cancel an access request',
    description:
      'Withdraws one of the user’s own requests that has not started (pending approval, or approved and not yet granted).',
    schema: {
      input: z =>
        requestIdSchema(z).extend({ reason: z.string().max(124).optional() }),
      output: z => z.object({ request: requestSummarySchema(z) }),
    },
    attributes: { readOnly: false, destructive: true, idempotent: false },
    action: async ({ input, credentials }) => {
      const me = await callers.caller(credentials);
      const { reason } = parseInput(
        decisionSchema,
        { reason: input.reason },
        'cancel',
      );
      const request = await audited(
        credentials,
        'request-cancel',
        'low',
        { requestId: input.requestId },
        () => requests.cancel(me, input.requestId, reason),
      );
      return { output: { request: summarise(request) } };
    },
  });
};
