import { AccessAuditEntry } from '@jit-access/plugin-access-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { isRequestStatus } from '@jit-access/plugin-access-common';
import { channelLabel } from '../shared/channel';
import { EntityName } from '../shared/EntityNames';
import { statusLabel } from '../shared/format';
import { AccessT, useAccessTranslation } from '../shared/i18n';

/** The audit actions the backend records, in words; others are shown as their code. */
const ACTION_KEYS = {
  submit: 'requestPage.timeline.action.submit',
  approve: 'requestPage.timeline.action.approve',
  'approve-stage': 'requestPage.timeline.action.approveStage',
  'auto-approve': 'requestPage.timeline.action.autoApprove',
  reject: 'requestPage.timeline.action.reject',
  cancel: 'requestPage.timeline.action.cancel',
  revoke: 'requestPage.timeline.action.revoke',
  expire: 'requestPage.timeline.action.expire',
  extend: 'requestPage.timeline.action.extend',
  'ask-extension': 'requestPage.timeline.action.askExtension',
  escalate: 'requestPage.timeline.action.escalate',
  timeout: 'requestPage.timeline.action.timeout',
  grant: 'requestPage.timeline.action.grant',
  'grant-item-failed': 'requestPage.timeline.action.grantItemFailed',
  'revoke-item-failed': 'requestPage.timeline.action.revokeItemFailed',
  'late-grant-revoked-again':
    'requestPage.timeline.action.lateGrantRevokedAgain',
  'credentials-shown': 'requestPage.timeline.action.credentialsShown',
  'credentials-reset': 'requestPage.timeline.action.credentialsReset',
  'fulfil-grant': 'requestPage.timeline.action.fulfilGrant',
  'fulfil-revoke': 'requestPage.timeline.action.fulfilRevoke',
  'reconcile-still-present':
    'requestPage.timeline.action.reconcileStillPresent',
  'reconcile-untracked': 'requestPage.timeline.action.reconcileUntracked',
  'reconcile-missing': 'requestPage.timeline.action.reconcileMissing',
} as const;

function actionLabel(action: string, t: AccessT): string {
  if (action in ACTION_KEYS) {
    return t(ACTION_KEYS[action as keyof typeof ACTION_KEYS]);
  }
  const words = action.replace(/[-_]/g, ' ');
  return `${words.charAt(0).toLocaleUpperCase('en-US')}${words.slice(1)}`;
}

function describe(entry: AccessAuditEntry, t: AccessT): string {
  const action = actionLabel(entry.action, t);
  return entry.toStatus && isRequestStatus(entry.toStatus)
    ? t('requestPage.timeline.toStatus', {
        action,
        status: statusLabel(entry.toStatus, t),
      })
    : action;
}

function reasonOf(entry: AccessAuditEntry): string | undefined {
  const reason = entry.details?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** "Mar 3, 2025, 2:05 PM by dana · Requested through an assistant — “reason”". */
/** When, who, through which channel, and why. */
function Detail({ entry }: { entry: AccessAuditEntry }) {
  const { t, format } = useAccessTranslation();
  const channel = channelLabel(entry.details?.channel, t);
  // A decision made in chat names the chat user who made it.
  const chatUserId = entry.details?.chatUserId;
  const reason = reasonOf(entry);
  return (
    <>
      {t('requestPage.timeline.by', {
        time: format.dateTime(entry.at),
        actor: <EntityName entityRef={entry.actorRef} />,
      })}
      {channel ? t('requestPage.timeline.channel', { channel }) : ''}
      {channel && typeof chatUserId === 'string'
        ? t('requestPage.timeline.chatUser', { user: chatUserId })
        : ''}
      {reason ? t('requestPage.reason', { reason }) : ''}
    </>
  );
}

/** The request's audit trail, oldest first, as an ordered list. */
export function AuditTimeline(props: { audit: AccessAuditEntry[] }) {
  const { t } = useAccessTranslation();
  if (props.audit.length === 0) {
    return (
      <Typography variant="body2">{t('requestPage.timeline.empty')}</Typography>
    );
  }
  return (
    <List dense component="ol" aria-label={t('requestPage.timeline.label')}>
      {props.audit.map(entry => (
        <ListItem key={entry.seq} component="li" divider>
          <ListItemText
            primary={describe(entry, t)}
            secondary={<Detail entry={entry} />}
          />
        </ListItem>
      ))}
    </List>
  );
}
