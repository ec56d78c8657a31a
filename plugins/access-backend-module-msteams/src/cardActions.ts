/**
 * What a press of Approve or Reject on the approval card does: read the universal action, find
 * the catalog User behind the Teams user, and decide through the access plugin's context (the
 * same command as the portal, with every rule). The answer is the invoke response Teams shows:
 * the card as it is now, or the card's error.
 */
import {
  AccessChatApprovalView,
  AccessChatContext,
} from '@jit-access/plugin-access-node';
import { z } from 'zod';
import { APPROVE_VERB, approvalCard, REJECT_VERB } from './cards';

/** The body of an `adaptiveCard/action` invoke response. */
export type CardActionResponse =
  | {
      statusCode: 200;
      type: 'application/vnd.microsoft.card.adaptive';
      value: Record<string, unknown>;
    }
  | {
      statusCode: 400 | 401 | 403 | 404 | 500;
      type: 'application/vnd.microsoft.error';
      value: { code: string; message: string };
    };

/** The parts of the invoke activity a decision needs. */
export interface CardActionActivity {
  value?: unknown;
  from?: { id?: string; aadObjectId?: string };
  channelData?: { tenant?: { id?: string } };
  conversation?: { tenantId?: string };
}

export interface CardActionDeps {
  context: AccessChatContext;
  /** The bot's tenant: actions from users of another tenant are refused. */
  tenantId: string;
  /** The Teams user's e-mail, asked of Teams only when no annotation matches. */
  lookupEmail: () => Promise<string | undefined>;
}

const actionSchema = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.enum([APPROVE_VERB, REJECT_VERB]),
    data: z
      .object({
        requestId: z.string().trim().min(1).max(200),
        reason: z.string().optional(),
      })
      .passthrough(),
  }),
});

export function cardResponse(
  view: AccessChatApprovalView,
  notice?: string,
): CardActionResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.card.adaptive',
    value: approvalCard(view, { notice }),
  };
}

export function errorResponse(
  statusCode: 400 | 401 | 403 | 404 | 500,
  code: string,
  message: string,
): CardActionResponse {
  return {
    statusCode,
    type: 'application/vnd.microsoft.error',
    value: { code, message },
  };
}

/** Runs one press of Approve or Reject and says what the person sees next. */
export async function handleCardAction(
  activity: CardActionActivity,
  deps: CardActionDeps,
): Promise<CardActionResponse> {
  const parsed = actionSchema.safeParse(activity.value);
  if (!parsed.success) {
    return errorResponse(
      400,
      'BadRequest',
      'This card action is not one the access bot knows.',
    );
  }
  const { verb, data } = parsed.data.action;
  const requestId = data.requestId;
  const tenant =
    activity.channelData?.tenant?.id ?? activity.conversation?.tenantId;
  if (!tenant || tenant.toLowerCase() !== deps.tenantId.toLowerCase()) {
    return errorResponse(
      403,
      'Forbidden',
      'This access bot serves another organisation.',
    );
  }
  const aadObjectId = activity.from?.aadObjectId;
  if (!aadObjectId) {
    return errorResponse(
      403,
      'Forbidden',
      'Teams did not say who you are; open the request in the portal instead.',
    );
  }
  const user = await deps.context.resolveChatUser({
    channel: 'teams',
    chatUserId: aadObjectId,
    email: deps.lookupEmail,
  });
  if (!user) {
    return errorResponse(
      403,
      'Forbidden',
      'Your Teams account is not linked to a Backstage user. Ask your Backstage admins to add your Microsoft Entra object id (graph.microsoft.com/user-id) or your e-mail to your User entity; until then, decide in the portal.',
    );
  }
  const reason = data.reason?.trim() ? data.reason.trim() : undefined;
  const result = await deps.context.decide(
    requestId,
    verb === APPROVE_VERB ? 'approve' : 'reject',
    reason,
    { channel: 'teams', chatUserId: aadObjectId, deciderRef: user.entityRef },
  );
  if (result.ok) {
    return cardResponse(result.view);
  }
  switch (result.error) {
    case 'already-decided':
    case 'reason-required':
      return result.view
        ? cardResponse(result.view, result.message)
        : errorResponse(400, 'BadRequest', result.message);
    case 'not-found':
      return errorResponse(404, 'NotFound', result.message);
    case 'not-allowed':
      return errorResponse(403, 'Forbidden', result.message);
    case 'invalid':
    default:
      return errorResponse(400, 'BadRequest', result.message);
  }
}
