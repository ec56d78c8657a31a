import { AccessRequest } from '@jit-access/plugin-access-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { useAccessTranslation } from '../shared/i18n';
import { StatusChip } from '../shared/StatusChip';
import { useEntityTitles } from '../shared/useEntityTitles';
import { endOf } from './requestRules';
import { EntityName } from '../shared/EntityNames';

/** Requests as rows; a row opens with a click or Enter. */
export function RequestsTable(props: {
  requests: AccessRequest[];
  caption: string;
  selectedId?: string;
  onSelect(request: AccessRequest): void;
  /** Which person to show: the grantee (delegated, admin) or the requester. */
  person?: 'grantee' | 'requester' | 'both';
}) {
  const { requests, selectedId, onSelect, person = 'both' } = props;
  const { t, format } = useAccessTranslation();
  const name = useEntityTitles(
    requests.flatMap(r => r.items.map(i => i.resourceRef)),
  );
  return (
    <Table size="small" aria-label={props.caption}>
      <TableHead>
        <TableRow>
          <TableCell>{t('requests.columns.resources')}</TableCell>
          <TableCell>{t('requests.columns.status')}</TableCell>
          {person !== 'grantee' && (
            <TableCell>{t('requests.columns.requester')}</TableCell>
          )}
          {person !== 'requester' && (
            <TableCell>{t('requests.columns.grantee')}</TableCell>
          )}
          <TableCell>{t('requests.columns.requested')}</TableCell>
          <TableCell>{t('requests.columns.ends')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {requests.map(request => (
          <TableRow
            key={request.id}
            hover
            selected={request.id === selectedId}
            tabIndex={0}
            style={{ cursor: 'pointer' }}
            aria-label={t('requests.openRequest', {
              items: format.items(request.items, name),
            })}
            onClick={() => onSelect(request)}
            onKeyDown={e => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(request);
              }
            }}
          >
            <TableCell>{format.items(request.items, name)}</TableCell>
            <TableCell>
              <StatusChip
                status={request.status}
                partiallyFulfilled={request.partiallyFulfilled}
              />
            </TableCell>
            {person !== 'grantee' && (
              <TableCell>
                <EntityName entityRef={request.requesterRef} />
              </TableCell>
            )}
            {person !== 'requester' && (
              <TableCell>
                <EntityName entityRef={request.granteeRef} />
              </TableCell>
            )}
            <TableCell>{format.dateTime(request.createdAt)}</TableCell>
            <TableCell>{format.dateTime(endOf(request))}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
