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
import { formatDateTime, shortRef, summariseItems } from '../shared/format';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { StatusChip } from '../shared/StatusChip';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useLiveRefresh } from '../shared/useLiveRefresh';
import { usePagedList } from '../shared/usePagedList';
import { EntityName } from '../shared/EntityNames';

/** "You approved", or who else decided what when the request was decided without me. */
export function decisionText(request: AccessRequest, me?: string): string {
  const mine = request.approvals.filter(a => a.approverRef === me);
  if (mine.length > 0) {
    const last = mine[mine.length - 1];
    return `You ${
      last.decision === 'approve' ? 'approved' : 'rejected'
    } on ${formatDateTime(last.decidedAt)}${
      last.reason ? ` — “${last.reason}”` : ''
    }`;
  }
  const others = request.approvals
    .map(
      a =>
        `${a.decision === 'approve' ? 'Approved' : 'Rejected'} by ${shortRef(
          a.approverRef,
        )}`,
    )
    .join('; ');
  return others || 'Closed without a decision';
}

/** My decision history, and requests that others decided before me. */
export function DecidedApprovals() {
  const api = useApi(accessApiRef);
  const links = useAccessLinks();
  const { caller } = useCaller();
  const me = caller?.userEntityRef;
  const list = usePagedList(
    cursor => api.getInbox({ state: 'decided', cursor, limit: 25 }),
    [api],
  );
  useLiveRefresh(list.reload);
  return (
    <ListStates
      loading={list.loading}
      error={list.error}
      onRetry={list.reload}
      empty={list.items.length === 0}
      what="your decisions"
      emptyTitle="You have not decided any request yet"
    >
      <Table size="small" aria-label="Decided requests">
        <TableHead>
          <TableRow>
            <TableCell>Grantee</TableCell>
            <TableCell>Resources</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Decision</TableCell>
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
                  {summariseItems(request.items)}
                </Link>
              </TableCell>
              <TableCell>
                <StatusChip status={request.status} />
              </TableCell>
              <TableCell>{decisionText(request, me)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <LoadMoreButton
        hasMore={list.hasMore}
        loading={list.loadingMore}
        onClick={list.loadMore}
        what="decisions"
      />
    </ListStates>
  );
}
