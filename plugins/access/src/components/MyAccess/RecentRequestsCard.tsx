import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  TERMINAL_STATUSES,
} from '@jit-access/plugin-access-common';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import Tooltip from '@material-ui/core/Tooltip';
import ReplayIcon from '@material-ui/icons/Replay';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { ResubmitDialog } from '../Requests/ResubmitDialog';
import { formatRelative, statusLabel, summariseItems } from '../shared/format';
import { ListStates } from '../shared/ListStates';
import { useAccessLinks } from '../shared/useAccessLinks';
import { usePagedList } from '../shared/usePagedList';

/** The three most recent closed requests, each with "Request again". */
export function RecentRequestsCard(props: { refreshKey: number }) {
  const api = useApi(accessApiRef);
  const links = useAccessLinks();
  const [again, setAgain] = useState<AccessRequest>();
  const list = usePagedList(
    () =>
      api.listRequests({
        view: 'mine',
        status: [...TERMINAL_STATUSES],
        limit: 3,
      }),
    [api],
    props.refreshKey,
  );
  return (
    <InfoCard
      title="Recent requests"
      deepLink={{ title: 'All my requests', link: links.requests }}
    >
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={list.items.length === 0}
        what="recent requests"
        emptyTitle="No closed requests yet"
        emptyDescription="Requests that expired, were revoked, rejected or cancelled appear here."
      >
        <List dense aria-label="Recent requests">
          {list.items.slice(0, 3).map(request => (
            <ListItem key={request.id}>
              <ListItemText
                primary={
                  <Link to={links.request(request.id)}>
                    {summariseItems(request.items)}
                  </Link>
                }
                secondary={`${statusLabel(request.status)} · ${formatRelative(
                  request.updatedAt,
                )}`}
              />
              <ListItemSecondaryAction>
                <Tooltip title="Request again">
                  <IconButton
                    edge="end"
                    aria-label={`Request again: ${summariseItems(
                      request.items,
                    )}`}
                    onClick={() => setAgain(request)}
                  >
                    <ReplayIcon />
                  </IconButton>
                </Tooltip>
              </ListItemSecondaryAction>
            </ListItem>
          ))}
        </List>
      </ListStates>
      {again && (
        <ResubmitDialog
          open
          what={summariseItems(again.items)}
          submit={changes => api.requestAgain(again.id, changes)}
          onClose={() => setAgain(undefined)}
        />
      )}
    </InfoCard>
  );
}
