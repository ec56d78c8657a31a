import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AccessRequest } from '@jit-access/plugin-access-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { accessApiRef } from '../../api';
import { useCaller } from '../shared/CallerContext';
import { AccessT, Formatters, useAccessTranslation } from '../shared/i18n';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { StatusChip } from '../shared/StatusChip';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useLiveRefresh } from '../shared/useLiveRefresh';
import { usePagedList } from '../shared/usePagedList';
import { EntityTitle, useEntityTitles } from '../shared/useEntityTitles';
import { EntityName } from '../shared/EntityNames';

/** "You approved", or who else decided what when the request was decided without me. */
export function decisionText(
  request: AccessRequest,
  me: string | undefined,
  t: AccessT,
  format: Formatters,
  name: EntityTitle,
): string {
  const mine = request.approvals.filter(a => a.approverRef === me);
  if (mine.length > 0) {
    const last = mine[mine.length - 1];
    const when = { time: format.dateTime(last.decidedAt) };
    const decided =
      last.decision === 'approve'
        ? t('approvals.decided.youApproved', when)
        : t('approvals.decided.youRejected', when);
    return last.reason
      ? t('approvals.decided.withReason', {
          decision: decided,
          reason: last.reason,
        })
      : decided;
  }
  const others = request.approvals
    .map(a => {
      const by = { approver: name(a.approverRef) };
      return a.decision === 'approve'
        ? t('approvals.decided.approvedBy', by)
        : t('approvals.decided.rejectedBy', by);
    })
    .join(t('approvals.decided.separator'));
  return others || t('approvals.decided.closedWithoutDecision');
}

/** My decision history, and requests that others decided before me. */
export function DecidedApprovals() {
  const api = useApi(accessApiRef);
  const links = useAccessLinks();
  const { caller } = useCaller();
  const me = caller?.userEntityRef;
  const { t, format } = useAccessTranslation();
  const list = usePagedList(
    cursor => api.getInbox({ state: 'decided', cursor, limit: 25 }),
    [api],
  );
  useLiveRefresh(list.reload);
  const name = useEntityTitles(
    list.items.flatMap(request => [
      ...request.approvals.map(a => a.approverRef),
      ...request.items.map(i => i.resourceRef),
    ]),
  );
  return (
    <ListStates
      loading={list.loading}
      error={list.error}
      onRetry={list.reload}
      empty={list.items.length === 0}
      what={t('approvals.decided.what')}
      emptyTitle={t('approvals.decided.emptyTitle')}
    >
      <Table size="small" aria-label={t('approvals.decided.tableLabel')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('approvals.decided.columns.grantee')}</TableCell>
            <TableCell>{t('approvals.decided.columns.resources')}</TableCell>
            <TableCell>{t('approvals.decided.columns.status')}</TableCell>
            <TableCell>{t('approvals.decided.columns.decision')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {list.items.map(request => (
            <TableRow key={request.id}>
              <TableCell>
                <EntityName entityRef={request.granteeRef} />
              </TableCell>
              <TableCell>
                <Link to={links.request(request.id)}>
                  {format.items(request.items, name)}
                </Link>
              </TableCell>
              <TableCell>
                <StatusChip status={request.status} />
              </TableCell>
              <TableCell>
                {decisionText(request, me, t, format, name)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <LoadMoreButton
        hasMore={list.hasMore}
        loading={list.loadingMore}
        onClick={list.loadMore}
        what={t('approvals.decided.whatMore')}
      />
    </ListStates>
  );
}
