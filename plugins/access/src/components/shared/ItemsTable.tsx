import {
  AccessRequestItem,
  GrantState,
} from '@jit-access/plugin-access-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { EntityName } from './EntityNames';
import { formatDateTime } from './format';

const GRANT_LABELS: Record<GrantState, string> = {
  pending: 'Waiting',
  queued: 'Queued',
  granting: 'Granting',
  active: 'Active',
  revoking: 'Revoking',
  revoked: 'Revoked',
  expired: 'Expired',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The resources and permissions of a request, with each grant's state. */
export function ItemsTable(props: {
  items: AccessRequestItem[];
  caption?: string;
  /** Extra content per item, e.g. an "Access details" button. */
  renderAction?: (item: AccessRequestItem) => ReactNode;
}) {
  const { items, renderAction } = props;
  return (
    <Table
      size="small"
      aria-label={props.caption ?? 'Resources and permissions'}
    >
      <TableHead>
        <TableRow>
          <TableCell>Resource</TableCell>
          <TableCell>Permission</TableCell>
          <TableCell>State</TableCell>
          <TableCell>Ends</TableCell>
          {renderAction && <TableCell>Access</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map(item => (
          <TableRow key={item.id ?? `${item.resourceRef}|${item.permission}`}>
            <TableCell>
              <EntityName entityRef={item.resourceRef} />
            </TableCell>
            <TableCell>{item.permission}</TableCell>
            <TableCell>
              {GRANT_LABELS[item.status] ?? item.status}
              {item.lastError && (
                <Typography variant="caption" color="error" display="block">
                  {item.lastError}
                </Typography>
              )}
              {item.fulfilmentTaskId && item.status !== 'active' && (
                <Typography variant="caption" display="block">
                  Waiting for someone to grant it by hand
                </Typography>
              )}
            </TableCell>
            <TableCell>{formatDateTime(item.expiresAt)}</TableCell>
            {renderAction && <TableCell>{renderAction(item)}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
