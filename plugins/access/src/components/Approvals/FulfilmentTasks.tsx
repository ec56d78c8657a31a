import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  FulfilmentTask,
  ListTasksOptions,
} from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { formatDateTime, shortRef } from '../shared/format';
import { EntityName } from '../shared/EntityNames';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useLiveRefresh } from '../shared/useLiveRefresh';
import { usePagedList } from '../shared/usePagedList';
import { CompleteTaskDialog } from './CompleteTaskDialog';

/** Grants and revocations that the manual provisioner handed to the owners of the resources. */
export function FulfilmentTasks() {
  const api = useApi(accessApiRef);
  const links = useAccessLinks();
  const [state, setState] =
    useState<NonNullable<ListTasksOptions['state']>>('open');
  const [completing, setCompleting] = useState<FulfilmentTask>();
  const list = usePagedList(
    cursor => api.listTasks({ state, cursor, limit: 25 }),
    [api, state],
  );
  useLiveRefresh(list.reload);

  return (
    <>
      <ToggleButtonGroup
        exclusive
        size="small"
        value={state}
        onChange={(_e, value) => value && setState(value)}
        aria-label="Task state"
        style={{ marginBottom: 16 }}
      >
        <ToggleButton value="open">To do</ToggleButton>
        <ToggleButton value="done">Done</ToggleButton>
      </ToggleButtonGroup>
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={list.items.length === 0}
        what="fulfilment tasks"
        emptyTitle={
          state === 'open'
            ? 'No access to grant or revoke by hand'
            : 'No completed tasks'
        }
        emptyDescription="Resources provisioned by hand give their owners a task here for each grant and revocation."
      >
        <Table
          size="small"
          aria-label={state === 'open' ? 'Tasks to do' : 'Completed tasks'}
        >
          <TableHead>
            <TableRow>
              <TableCell>Action</TableCell>
              <TableCell>Resource</TableCell>
              <TableCell>Grantee</TableCell>
              <TableCell>Instructions</TableCell>
              <TableCell>
                {state === 'open' ? 'Created' : 'Completed'}
              </TableCell>
              {state === 'open' && <TableCell>Done?</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {list.items.map(task => (
              <TableRow key={task.id}>
                <TableCell>
                  <Link to={links.request(task.requestId)}>
                    {task.action === 'grant' ? 'Grant' : 'Revoke'}{' '}
                    {task.permission}
                  </Link>
                </TableCell>
                <TableCell>
                  <EntityName entityRef={task.resourceRef} />
                </TableCell>
                <TableCell>
                  <EntityName entityRef={task.granteeRef} />
                </TableCell>
                <TableCell style={{ whiteSpace: 'pre-wrap' }}>
                  {task.instructions}
                </TableCell>
                <TableCell>
                  {state === 'open' ? (
                    formatDateTime(task.createdAt)
                  ) : (
                    <>
                      {formatDateTime(task.completedAt)}
                      {task.completedBy && (
                        <>
                          {' by '}
                          <EntityName entityRef={task.completedBy} />
                        </>
                      )}
                      {task.note ? ` — ${task.note}` : ''}
                    </>
                  )}
                </TableCell>
                {state === 'open' && (
                  <TableCell>
                    <Button
                      size="small"
                      variant="outlined"
                      color="primary"
                      onClick={() => setCompleting(task)}
                      aria-label={`Mark done: ${task.action} ${
                        task.permission
                      } on ${shortRef(task.resourceRef)} for ${shortRef(
                        task.granteeRef,
                      )}`}
                    >
                      Mark done
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <LoadMoreButton
          hasMore={list.hasMore}
          loading={list.loadingMore}
          onClick={list.loadMore}
          what="tasks"
        />
      </ListStates>
      {completing && (
        <CompleteTaskDialog
          task={completing}
          onCompleted={() => {
            setCompleting(undefined);
            list.reload();
          }}
          onClose={() => setCompleting(undefined)}
        />
      )}
    </>
  );
}
