import { AccessAuditEntry } from '@jit-access/plugin-access-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { isRequestStatus } from '@jit-access/plugin-access-common';
import { formatDateTime, statusLabel } from '../shared/format';
import { EntityName } from '../shared/EntityNames';

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
            secondary={
              <>
                {formatDateTime(entry.at)} by{' '}
                <EntityName entityRef={entry.actorRef} />
                {reasonOf(entry) ? ` — “${reasonOf(entry)}”` : ''}
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}
