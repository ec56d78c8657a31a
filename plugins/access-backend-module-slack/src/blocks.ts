/**
 * Block Kit for the access plugin's messages: the approval message (with Approve and Reject
 * until the request no longer waits for its reader), the reason modal, and requester updates.
 * Everything shown comes from the plugin's view models.
 */
import type { Block, KnownBlock, View } from '@slack/types';
import {
  AccessChatApprovalView,
  AccessChatRequesterUpdate,
} from '@jit-access/plugin-access-node';

export const APPROVE_ACTION = 'access.approve';
export const REJECT_ACTION = 'access.reject';
export const REASON_CALLBACK = 'access.reason';
export const REASON_BLOCK = 'reason';
export const REASON_INPUT = 'reason';

type Blocks = (KnownBlock | Block)[];

const OUTCOME_MARKS: Record<
  NonNullable<AccessChatApprovalView['outcome']>['kind'],
  string
> = {
  approved: ':white_check_mark:',
  'stage-approved': ':white_check_mark:',
  rejected: ':x:',
  'timed-out': ':grey_exclamation:',
  closed: ':grey_exclamation:',
};

/** Text for Slack's mrkdwn: its three control characters escaped. */
export function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A time each reader sees in their own time zone, with the ISO time as the fallback. */
export function slackDate(iso: string): string {
  const epoch = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${epoch}^{date_short_pretty} at {time}|${iso}>`;
}

const what = (items: AccessChatApprovalView['items']) =>
  items.map(i => `${i.resourceTitle} (${i.permission})`).join(', ');

/** The one-line text Slack shows in notifications and where blocks cannot be shown. */
export function approvalText(view: AccessChatApprovalView): string {
  const head = `${view.requester.displayName} asks for ${what(view.items)}`;
  return view.outcome ? `${head}: ${view.outcome.summary}` : head;
}

export function approvalBlocks(view: AccessChatApprovalView): Blocks {
  const fields = [
    `*Requester*\n${escape(view.requester.displayName)}`,
    ...(view.grantee ? [`*For*\n${escape(view.grantee.displayName)}`] : []),
    `*Access*\n${view.items
      .map(i => `${escape(i.resourceTitle)} — ${escape(i.permission)}`)
      .join('\n')}`,
    ...(view.durationText ? [`*Duration*\n${escape(view.durationText)}`] : []),
    `*Flow*\n${escape(view.flow.title)}${
      view.stage.count > 1
        ? ` (stage ${view.stage.number} of ${view.stage.count})`
        : ''
    }`,
    ...(view.ticket
      ? [
          `*Ticket*\n${escape(
            view.ticket.type
              ? `${view.ticket.type} ${view.ticket.id}`
              : view.ticket.id,
          )}`,
        ]
      : []),
    ...(view.startAt ? [`*Starts*\n${slackDate(view.startAt)}`] : []),
    ...(view.timesOutAt && !view.outcome
      ? [`*Times out*\n${slackDate(view.timesOutAt)}`]
      : []),
  ];
  const blocks: Blocks = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Access request* — <${view.link}|${escape(
          view.requester.displayName,
        )} asks for ${escape(what(view.items))}>`,
      },
    },
    {
      type: 'section',
      fields: fields.slice(0, 10).map(text => ({ type: 'mrkdwn', text })),
    },
  ];
  if (view.justification) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Justification*\n${escape(view.justification)}`,
      },
    });
  }
  if (view.outcome) {
    const { outcome } = view;
    const mark = OUTCOME_MARKS[outcome.kind];
    blocks.push({
      type: 'section',
      block_id: 'access.outcome',
      text: {
        type: 'mrkdwn',
        text: `${mark} *${escape(outcome.summary)}*${
          outcome.decidedAt ? `\n${slackDate(outcome.decidedAt)}` : ''
        }`,
      },
    });
  } else {
    blocks.push({
      type: 'actions',
      block_id: 'access.decision',
      elements: [
        {
          type: 'button',
          action_id: APPROVE_ACTION,
          style: 'primary',
          text: { type: 'plain_text', text: 'Approve' },
          value: view.requestId,
        },
        {
          type: 'button',
          action_id: REJECT_ACTION,
          style: 'danger',
          text: { type: 'plain_text', text: 'Reject' },
          value: view.requestId,
        },
        {
          type: 'button',
          action_id: 'access.open',
          text: { type: 'plain_text', text: 'Open in the portal' },
          url: view.link,
        },
      ],
    });
  }
  return blocks;
}

/** The modal that asks for a reason before deciding, as the flow requires. */
export function reasonModal(input: {
  requestId: string;
  decision: 'approve' | 'reject';
  channelId?: string;
  summary: string;
}): View {
  const verb = input.decision === 'approve' ? 'Approve' : 'Reject';
  return {
    type: 'modal',
    callback_id: REASON_CALLBACK,
    private_metadata: JSON.stringify({
      requestId: input.requestId,
      decision: input.decision,
      ...(input.channelId ? { channelId: input.channelId } : {}),
    }),
    title: { type: 'plain_text', text: `${verb} access` },
    submit: { type: 'plain_text', text: verb },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: escape(input.summary) },
      },
      {
        type: 'input',
        block_id: REASON_BLOCK,
        label: {
          type: 'plain_text',
          text: `Why? (the flow asks for a reason to ${input.decision})`,
        },
        element: {
          type: 'plain_text_input',
          action_id: REASON_INPUT,
          multiline: true,
          max_length: 120,
        },
      },
    ],
  };
}

export function requesterUpdateBlocks(
  update: AccessChatRequesterUpdate,
): Blocks {
  const lines = [
    `*${escape(update.summary)}*`,
    ...(update.reason ? [`Reason: ${escape(update.reason)}`] : []),
    ...(update.by ? [`By ${escape(update.by.displayName)}`] : []),
    ...(update.expiresAt
      ? [
          `${
            update.kind === 'expired' || update.kind === 'revoked'
              ? 'Ended'
              : 'Ends'
          } ${slackDate(update.expiresAt)}`,
        ]
      : []),
  ];
  const buttons = [
    ...(update.action
      ? [
          {
            type: 'button' as const,
            action_id: `access.${update.action.kind}`,
            style: 'primary' as const,
            text: { type: 'plain_text' as const, text: update.action.label },
            url: update.action.url,
          },
        ]
      : []),
    {
      type: 'button' as const,
      action_id: 'access.open',
      text: { type: 'plain_text' as const, text: 'Open in the portal' },
      url: update.link,
    },
  ];
  return [
    { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
    { type: 'actions', elements: buttons },
  ];
}
