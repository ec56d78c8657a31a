/**
 * The Adaptive Cards the bot posts, as pure functions of the plain data the access plugin hands
 * a channel. Buttons are universal actions (`Action.Execute`): Teams posts them back to the
 * messaging endpoint as an `adaptiveCard/action` invoke, and the card in the invoke response
 * replaces the one the person sees.
 */
import {
  AccessChatApprovalView,
  AccessChatItem,
  AccessChatRequesterUpdate,
} from '@jit-access/plugin-access-node';

/** The verb of the approval card's Approve button; `data.requestId` carries the request id. */
export const APPROVE_VERB = 'access.approve';
/** The verb of the approval card's Reject button; `data.requestId` carries the request id. */
export const REJECT_VERB = 'access.reject';
/** The id of the reason input, merged by Teams into the action's data. */
export const REASON_INPUT_ID = 'reason';
/** The longest reason the card lets a person type. */
export const REASON_MAX_LENGTH = 1000;

/** An Adaptive Card (schema 1.5), as JSON. */
export type AdaptiveCard = Record<string, unknown>;

type Element = Record<string, unknown>;

const DECIDED_VIA: Record<string, string> = {
  portal: 'in the portal',
  api: 'through the API',
  slack: 'in Slack',
  teams: 'in Teams',
};

/** `2026-12-05 14:00 UTC`: the same for every reader, whatever their client. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function itemText(item: AccessChatItem): string {
  return `${item.resourceTitle} (${item.permission})`;
}

function text(value: string, extra: Element = {}): Element {
  return { type: 'TextBlock', text: value, wrap: true, ...extra };
}

function facts(entries: Array<[string, string | undefined]>): Element {
  return {
    type: 'FactSet',
    facts: entries
      .filter((entry): entry is [string, string] => Boolean(entry[1]))
      .map(([title, value]) => ({ title, value })),
  };
}

function card(body: Element[], actions: Element[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions,
  };
}

function openUrl(title: string, url: string): Element {
  return { type: 'Action.OpenUrl', title, url };
}

function reasonLabel(approve: boolean, reject: boolean): string {
  if (approve && reject) {
    return 'Reason (required)';
  }
  if (approve) {
    return 'Reason (required to approve)';
  }
  return reject ? 'Reason (required to reject)' : 'Reason (optional)';
}

const UPDATE_COLOURS: Record<AccessChatRequesterUpdate['kind'], string> = {
  approved: 'Good',
  'expiring-soon': 'Warning',
  rejected: 'Attention',
  failed: 'Attention',
  expired: 'Attention',
  revoked: 'Attention',
};

/** How to draw an approval card beyond its view. */
export interface ApprovalCardOptions {
  /** Said above the buttons, in the attention colour (e.g. "A reason is required to reject."). */
  notice?: string;
}

/**
 * The approval card: who asks, for what, how long, why, which flow and stage, when it times out,
 * the portal link, and Approve / Reject while it waits; once `view.outcome` is set, how it ended
 * and no buttons.
 */
export function approvalCard(
  view: AccessChatApprovalView,
  options: ApprovalCardOptions = {},
): AdaptiveCard {
  const forWhom = view.grantee ? ` for ${view.grantee.displayName}` : '';
  const ticket = view.ticket
    ? `${view.ticket.type ? `${view.ticket.type} ` : ''}${view.ticket.id}`
    : undefined;
  const body: Element[] = [
    text('Access request', { size: 'Medium', weight: 'Bolder' }),
    text(`${view.requester.displayName} asks for access${forWhom}.`),
    facts([
      ['Access', view.items.map(itemText).join(', ')],
      ['Duration', view.durationText ?? view.duration],
      ['Starts', view.startAt && formatTime(view.startAt)],
      ['Ends', view.endAt && formatTime(view.endAt)],
      ['Justification', view.justification],
      ['Ticket', ticket],
      [
        'Flow',
        view.stage.count > 1
          ? `${view.flow.title}, stage ${view.stage.number} of ${view.stage.count}`
          : view.flow.title,
      ],
      ['Times out', view.timesOutAt && formatTime(view.timesOutAt)],
    ]),
  ];
  const portal = openUrl('Open in the portal', view.link);
  const outcome = view.outcome;
  if (outcome) {
    body.push(
      text(outcome.summary, {
        weight: 'Bolder',
        color:
          outcome.kind === 'approved' || outcome.kind === 'stage-approved'
            ? 'Good'
            : 'Attention',
      }),
      facts([
        ['Decided by', outcome.decidedBy?.displayName],
        ['Where', outcome.decidedVia && DECIDED_VIA[outcome.decidedVia]],
        ['When', outcome.decidedAt && formatTime(outcome.decidedAt)],
        ['Reason', outcome.reason],
        ['Status', outcome.status],
      ]),
    );
    if (options.notice) {
      body.push(text(options.notice, { color: 'Attention' }));
    }
    return card(body, [portal]);
  }
  const { approve, reject } = view.reasonRequired;
  body.push({
    type: 'Input.Text',
    id: REASON_INPUT_ID,
    label: reasonLabel(approve, reject),
    isMultiline: true,
    maxLength: REASON_MAX_LENGTH,
    isRequired: approve && reject,
    errorMessage: 'Give a reason.',
  });
  if (options.notice) {
    body.push(text(options.notice, { color: 'Attention', weight: 'Bolder' }));
  }
  const data = { requestId: view.requestId };
  return card(body, [
    {
      type: 'Action.Execute',
      title: 'Approve',
      verb: APPROVE_VERB,
      data,
      style: 'positive',
    },
    {
      type: 'Action.Execute',
      title: 'Reject',
      verb: REJECT_VERB,
      data,
      style: 'destructive',
    },
    portal,
  ]);
}

const UPDATE_TITLES: Record<AccessChatRequesterUpdate['kind'], string> = {
  approved: 'Access approved',
  rejected: 'Access request rejected',
  failed: 'Access could not be granted',
  'expiring-soon': 'Access expiring soon',
  expired: 'Access expired',
  revoked: 'Access revoked',
};

/** What a requester (or grantee) is told when their request changes. */
export function requesterUpdateCard(
  update: AccessChatRequesterUpdate,
): AdaptiveCard {
  const body: Element[] = [
    text(UPDATE_TITLES[update.kind], {
      size: 'Medium',
      weight: 'Bolder',
      color: UPDATE_COLOURS[update.kind],
    }),
    text(update.summary),
    facts([
      ['Access', update.items.map(itemText).join(', ')],
      ['By', update.by?.displayName],
      ['Reason', update.reason],
      [
        update.kind === 'expired' || update.kind === 'revoked'
          ? 'Ended'
          : 'Ends',
        update.expiresAt && formatTime(update.expiresAt),
      ],
    ]),
  ];
  const actions: Element[] = [];
  if (update.action) {
    actions.push({
      ...openUrl(update.action.label, update.action.url),
      style: 'positive',
    });
  }
  actions.push(openUrl('Open in the portal', update.link));
  return card(body, actions);
}

/** The plain-text fallback shown in notifications and clients without cards. */
export function approvalSummary(view: AccessChatApprovalView): string {
  return view.outcome
    ? view.outcome.summary
    : `${view.requester.displayName} asks for ${view.items
        .map(itemText)
        .join(', ')}`;
}
