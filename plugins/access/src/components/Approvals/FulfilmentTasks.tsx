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
import { useAccessTranslation } from '../shared/i18n';
import { EntityName } from '../shared/EntityNames';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useEntityTitles } from '../shared/useEntityTitles';
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
  const { t, format } = useAccessTranslation();
  const name = useEntityTitles(
    list.items.flatMap(task => [task.resourceRef, task.granteeRef]),
  );
  const open = state === 'open';

  return (
    <>
      <ToggleButtonGroup
        exclusive
        size="small"
        value={state}
        onChange={(_e, value) => value && setState(value)}
        aria-label={t('approvals.tasks.stateLabel')}
        style={{ marginBottom: 16 }}
      >
        <ToggleButton value="open">{t('approvals.tasks.toDo')}</ToggleButton>
        <ToggleButton value="done">{t('approvals.tasks.done')}</ToggleButton>
      </ToggleButtonGroup>
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={list.items.length === 0}
        what={t('approvals.tasks.what')}
        emptyTitle={
          open
            ? t('approvals.tasks.emptyOpenTitle')
            : t('approvals.tasks.emptyDoneTitle')
        }
        emptyDescription={t('approvals.tasks.emptyDescription')}
      >
        <Table
          size="small"
          aria-label={
            open
              ? t('approvals.tasks.openTableLabel')
              : t('approvals.tasks.doneTableLabel')
          }
        >
          <TableHead>
            <TableRow>
              <TableCell>{t('approvals.tasks.columns.action')}</TableCell>
              <TableCell>{t('approvals.tasks.columns.resource')}</TableCell>
              <TableCell>{t('approvals.tasks.columns.grantee')}</TableCell>
              <TableCell>{t('approvals.tasks.columns.instructions')}</TableCell>
              <TableCell>
                {open
                  ? t('approvals.tasks.columns.created')
                  : t('approvals.tasks.columns.completed')}
              </TableCell>
              {open && (
                <TableCell>{t('approvals.tasks.columns.done')}</TableCell>
              )}
            </TableRow>
          </TableHead>
          <TableBody>
            {list.items.map(task => (
              <TableRow key={task.id}>
                <TableCell>
                  <Link to={links.request(task.requestId)}>
                    {task.action === 'grant'
                      ? t('approvals.tasks.grantAction', {
                          permission: task.permission,
                        })
                      : t('approvals.tasks.revokeAction', {
                          permission: task.permission,
                        })}
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
                  {open ? (
                    format.dateTime(task.createdAt)
                  ) : (
                    <>
                      {task.completedBy
                        ? t('approvals.tasks.completedBy', {
                            time: format.dateTime(task.completedAt),
                            person: <EntityName entityRef={task.completedBy} />,
                          })
                        : format.dateTime(task.completedAt)}
                      {task.note
                        ? t('approvals.tasks.note', { note: task.note })
                        : ''}
                    </>
                  )}
                </TableCell>
                {open && (
                  <TableCell>
                    <Button
                      size="small"
                      variant="outlined"
                      color="primary"
                      onClick={() => setCompleting(task)}
                      aria-label={t(
                        task.action === 'grant'
                          ? 'approvals.tasks.markDoneGrantLabel'
                          : 'approvals.tasks.markDoneRevokeLabel',
                        {
                          permission: task.permission,
                          resource: name(task.resourceRef),
                          grantee: name(task.granteeRef),
                        },
                      )}
                    >
                      {t('approvals.tasks.markDone')}
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
          what={t('approvals.tasks.whatMore')}
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
