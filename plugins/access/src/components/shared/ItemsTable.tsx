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
import { useAccessTranslation } from './i18n';

const GRANT_KEYS = {
  pending: 'shared.grantState.pending',
  queued: 'shared.grantState.queued',
  granting: 'shared.grantState.granting',
  active: 'shared.grantState.active',
  revoking: 'shared.grantState.revoking',
  revoked: 'shared.grantState.revoked',
  expired: 'shared.grantState.expired',
  failed: 'shared.grantState.failed',
  cancelled: 'shared.grantState.cancelled',
} as const satisfies Record<GrantState, string>;

/** The resources and permissions of a request, with each grant's state. */
export function ItemsTable(props: {
  items: AccessRequestItem[];
  caption?: string;
  /** Extra content per item, e.g. an "Access details" button. */
  renderAction?: (item: AccessRequestItem) => ReactNode;
}) {
  const { items, renderAction } = props;
  const { t, format } = useAccessTranslation();
  return (
    <Table
      size="small"
      aria-label={props.caption ?? t('shared.itemsTable.caption')}
    >
      <TableHead>
        <TableRow>
          <TableCell>{t('shared.itemsTable.resource')}</TableCell>
          <TableCell>{t('shared.itemsTable.permission')}</TableCell>
          <TableCell>{t('shared.itemsTable.state')}</TableCell>
          <TableCell>{t('shared.itemsTable.ends')}</TableCell>
          {renderAction && (
            <TableCell>{t('shared.itemsTable.access')}</TableCell>
          )}
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
              {item.status in GRANT_KEYS
                ? t(GRANT_KEYS[item.status])
                : item.status}
              {item.lastError && (
                <Typography variant="caption" color="error" display="block">
                  {item.lastError}
                </Typography>
              )}
              {item.fulfilmentTaskId && item.status !== 'active' && (
                <Typography variant="caption" display="block">
                  {t('shared.itemsTable.waitingForManualGrant')}
                </Typography>
              )}
            </TableCell>
            <TableCell>{format.dateTime(item.expiresAt)}</TableCell>
            {renderAction && <TableCell>{renderAction(item)}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
