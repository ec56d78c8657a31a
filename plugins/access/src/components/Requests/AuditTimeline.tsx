import { AccessAuditEntry } from '@jit-access/plugin-access-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { isRequestStatus } from '@jit-access/plugin-access-common';
import { channelLabel } from '../shared/channel';
import { EntityName } from '../shared/EntityNames';
import { formatDateTime, statusLabel } from '../shared/format';

function describe(entry: AccessAuditEntry): string {
  const action = entry.action.replace(/[-_]/g, ' ');
  const to =
    entry.toStatus && isRequestStatus(entry.toStatus)
      ? ` → ${statusLabel(entry.toStatus)}`
      : '';
  return `${action.charAt(0).toLocaleUpperCase('en-US')}${action.slice(
    1,
  )}${to}`;
}

function reasonOf(entry: AccessAuditEntry): string | undefined {
  const reason = entry.details?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** "Mar 3, 2025, 2:05 PM by dana · Requested through an assistant — “reason”". */
/** When, who, through which channel, and why. */
function Detail({ entry }: { entry: AccessAuditEntry }) {
  const channel = channelLabel(entry.details?.channel);
  const chatUserId = entry.details?.chatUserId;
  const reason = reasonOf(entry);
  return (
    <>
      {formatDateTime(entry.at)} by <EntityName entityRef={entry.actorRef} />
      {channel ? ` · ${channel}` : ''}
      {channel && typeof chatUserId === 'string' ? ` (${chatUserId})` : ''}
      {reason ? ` — “${reason}”` : ''}
    </>
  );
}

/** The request's audit trail, oldest first, as an ordered list. */
export function AuditTimeline(props: { audit: AccessAuditEntry[] }) {
  if (props.audit.length === 0) {
    return <Typography variant="body2">No events recorded yet.</Typography>;
  }
  return (
    <List dense component="ol" aria-label="Timeline">
      {props.audit.map(entry => (
        <ListItem key={entry.seq} component="li" divider>
          <ListItemText
            primary={describe(entry)}
            secondary={<Detail entry={entry} />}
          />
        </ListItem>
      ))}
    </List>
  );
}
