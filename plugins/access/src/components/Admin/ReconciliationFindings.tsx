import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ReconciliationFinding } from '@jit-access/plugin-access-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { accessApiRef } from '../../api';
import { useAccessTranslation } from '../shared/i18n';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { usePagedList } from '../shared/usePagedList';
import { EntityName } from '../shared/EntityNames';

const KIND_KEYS = {
  'still-present': 'admin.findings.kind.stillPresent',
  untracked: 'admin.findings.kind.untracked',
  missing: 'admin.findings.kind.missing',
} as const satisfies Record<ReconciliationFinding['kind'], string>;

/** What reconciliation found when it compared the provisioners' view with the database. */
export function ReconciliationFindings() {
  const api = useApi(accessApiRef);
  const list = usePagedList(
    cursor => api.listReconciliationFindings({ cursor, limit: 25 }),
    [api],
  );
  const { t, format } = useAccessTranslation();
  return (
    <InfoCard title={t('admin.findings.title')}>
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={list.items.length === 0}
        what={t('admin.findings.what')}
        emptyTitle={t('admin.findings.emptyTitle')}
        emptyDescription={t('admin.findings.emptyDescription')}
      >
        <Table size="small" aria-label={t('admin.findings.title')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('admin.findings.columns.found')}</TableCell>
              <TableCell>{t('admin.findings.columns.kind')}</TableCell>
              <TableCell>{t('admin.findings.columns.resource')}</TableCell>
              <TableCell>{t('admin.findings.columns.grantee')}</TableCell>
              <TableCell>{t('admin.findings.columns.provisioner')}</TableCell>
              <TableCell>{t('admin.findings.columns.detail')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.items.map(finding => (
              <TableRow key={finding.id}>
                <TableCell>{format.dateTime(finding.createdAt)}</TableCell>
                <TableCell>
                  {finding.kind in KIND_KEYS
                    ? t(KIND_KEYS[finding.kind])
                    : finding.kind}
                </TableCell>
                <TableCell>
                  {t('shared.items.item', {
                    resource: <EntityName entityRef={finding.resourceRef} />,
                    permission: finding.permission,
                  })}
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
          what={t('admin.findings.whatMore')}
        />
      </ListStates>
    </InfoCard>
  );
}
