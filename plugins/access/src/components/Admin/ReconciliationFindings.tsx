import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ReconciliationFinding } from '@jit-access/plugin-access-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { accessApiRef } from '../../api';
import { formatDateTime } from '../shared/format';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { usePagedList } from '../shared/usePagedList';
import { EntityName } from '../shared/EntityNames';

const KIND_LABELS: Record<ReconciliationFinding['kind'], string> = {
  'still-present': 'Still present after its end (revoked again)',
  untracked: 'Access without a grant',
  missing: 'Granted access has disappeared',
};

/** What reconciliation found when it compared the provisioners' view with the database. */
export function ReconciliationFindings() {
  const api = useApi(accessApiRef);
  const list = usePagedList(
    cursor => api.listReconciliationFindings({ cursor, limit: 25 }),
    [api],
  );
  return (
    <InfoCard title="Reconciliation findings">
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={list.items.length === 0}
        what="reconciliation findings"
        emptyTitle="No drift found"
        emptyDescription="The provisioners agree with the granted access."
      >
        <Table size="small" aria-label="Reconciliation findings">
          <TableHead>
            <TableRow>
              <TableCell>Found</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Resource</TableCell>
              <TableCell>Grantee</TableCell>
              <TableCell>Provisioner</TableCell>
              <TableCell>Detail</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.items.map(finding => (
              <TableRow key={finding.id}>
                <TableCell>{formatDateTime(finding.createdAt)}</TableCell>
                <TableCell>
                  {KIND_LABELS[finding.kind] ?? finding.kind}
                </TableCell>
                <TableCell>
                  <EntityName entityRef={finding.resourceRef} /> (
                  {finding.permission})
                </TableCell>
                <TableCell>
                  <EntityName entityRef={finding.granteeRef} />
                </TableCell>
                <TableCell>{finding.provisionerId}</TableCell>
                <TableCell>{finding.detail}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <LoadMoreButton
          hasMore={list.hasMore}
          loading={list.loadingMore}
          onClick={list.loadMore}
          what="findings"
        />
      </ListStates>
    </InfoCard>
  );
}
