/**
 * Actions on the access the user holds: what is active and until when, asking for more time, and
 * giving access back early. Each runs as the calling user, as the HTTP API does.
 */
import { accessGrantRevokePermission } from '@jit-access/plugin-access-common';
import { parseInput } from '../lib/validation';
import { decisionSchema, extensionSchema } from '../requests/submissionSchema';
import { ActionModule, requestLink, Zod } from './actionContext';
import { requestSummarySchema, summarise } from './requestSummary';

// Enough for anyone's active access: a person holds a handful of grants at a time.
const MAX_ACTIVE_REQUESTS = 200;

const requestIdSchema = (z: Zod) =>
  z.object({
    requestId: z
      .string()
      .uuid()
      .describe('The id of the request that granted the access'),
  });

export const addAccessActions: ActionModule = ({
  actionsRegistry,
  callers,
  requests,
  audited,
  limited,
}) => {
  actionsRegistry.register({
    name: 'list-my-access',
    title: 'List my active access',
    description:
      'Lists the access the signed-in user holds now: each resource and permission, when it was granted and when it ends, and the request it came from.',
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          access: z.array(
            z.object({
              requestId: z.string(),
              resourceRef: z.string(),
              permission: z.string(),
              grantedAt: z.string().optional(),
              expiresAt: z.string().optional(),
              extensionsLeft: z.number(),
              link: z.string(),
            }),
          ),
        }),
    },
    attributes: { readOnly: true, destructive: false, idempotent: true },
    action: async ({ credentials }) => {
      const me = await callers.reader(credentials, { admin: false });
      const page = await requests.list(me, {
        view: 'mine',
        statuses: ['active'],
        limit: MAX_ACTIVE_REQUESTS,
      });
      const access = page.items.flatMap(request =>
        request.items
          .filter(item => item.status === 'active')
          .map(item => ({
            requestId: request.id,
            resourceRef: item.resourceRef,
            permission: item.permission,
            ...(item.grantedAt ? { grantedAt: item.grantedAt } : {}),
            ...(item.expiresAt ? { expiresAt: item.expiresAt } : {}),
            extensionsLeft: Math.max(
              0,
              request.extension.max - request.extension.used,
            ),
            link: requestLink(request.id),
          })),
      );
      return { output: { access } };
    },
  });

  actionsRegistry.register({
    name: 'extend-access',
    title: 'Extend my access',
    description:
      'Asks for more time on active access: a duration (ISO-8601, e.g. PT1H) or a new end, within what its flow allows. Depending on the flow it is extended at once or a person must approve.',
    schema: {
      input: z =>
        requestIdSchema(z).extend({
          duration: z.string().max(64).optional(),
          endAt: z.string().max(64).optional(),
          justification: z.string().max(4000).optional(),
        }),
      output: z => z.object({ request: requestSummarySchema(z) }),
    },
    attributes: { readOnly: false, destructive: false, idempotent: false },
    action: async ({ input, credentials }) => {
      const me = await callers.caller(credentials);
      await limited('submissions', me.userEntityRef);
      const { requestId, ...body } = input;
      const ask = parseInput(extensionSchema, body, 'extension');
      const request = await audited(
        credentials,
        'grant-extend',
        'medium',
        { requestId },
        () => requests.extend(me, requestId, ask, 'action'),
      );
      return { output: { request: summarise(request) } };
    },
  });

  actionsRegistry.register({
    name: 'revoke-my-access',
    title: 'Give back my access',
    description:
      'Ends access the signed-in user requested or holds before its time (when the work is done). Only the user’s own access.',
    schema: {
      input: z =>
        requestIdSchema(z).extend({ reason: z.string().max(124).optional() }),
      output: z => z.object({ request: requestSummarySchema(z) }),
    },
    attributes: { readOnly: false, destructive: true, idempotent: false },
    action: async ({ input, credentials }) => {
      // Not as an admin: this action ends the caller's own access only.
      const me = await callers.caller(credentials, {
        requires: accessGrantRevokePermission,
        admin: false,
      });
      const { reason } = parseInput(
        decisionSchema,
        { reason: input.reason },
        'revoke',
      );
      const request = await audited(
        credentials,
        'grant-revoke',
        'high',
        { requestId: input.requestId },
        () => requests.revoke(me, input.requestId, reason),
      );
      return { output: { request: summarise(request) } };
    },
  });
};
