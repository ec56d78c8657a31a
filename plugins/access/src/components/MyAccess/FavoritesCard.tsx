import { InfoCard } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { AccessFavorite } from '@jit-access/plugin-access-common';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import Tooltip from '@material-ui/core/Tooltip';
import DeleteIcon from '@material-ui/icons/Delete';
import ReplayIcon from '@material-ui/icons/Replay';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { ResubmitDialog } from '../Requests/ResubmitDialog';
import { errorSentence } from '../shared/errors';
import { formatIsoDuration, summariseItems } from '../shared/format';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { usePagedList } from '../shared/usePagedList';

/** Saved favorites (three at first), each with "Request again" and delete. */
export function FavoritesCard(props: {
  refreshKey: number;
  pageSize?: number;
}) {
  const { pageSize = 3 } = props;
  const api = useApi(accessApiRef);
  const alertApi = useApi(alertApiRef);
  const [again, setAgain] = useState<AccessFavorite>();
  const list = usePagedList(
    cursor => api.listFavorites({ limit: pageSize, cursor }),
    [api, pageSize],
    props.refreshKey,
  );

  const remove = async (favorite: AccessFavorite) => {
    try {
      await api.deleteFavorite(favorite.id);
      list.reload();
    } catch (e) {
      alertApi.post({ message: errorSentence(e), severity: 'error' });
    }
  };

  return (
    <InfoCard title="Favorites">
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={list.items.length === 0}
        what="favorites"
        emptyTitle="No favorites yet"
        emptyDescription="Mark an active or closed request as a favorite to request it again in one step."
      >
        <List dense aria-label="Favorites">
          {list.items.map(favorite => (
            <ListItem key={favorite.id}>
              <ListItemText
                primary={favorite.name}
                secondary={[
                  summariseItems(favorite.template.items ?? []),
                  formatIsoDuration(favorite.template.duration),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              />
              <ListItemSecondaryAction>
                <Tooltip title="Request again">
                  <IconButton
                    aria-label={`Request again: ${favorite.name}`}
                    onClick={() => setAgain(favorite)}
                  >
                    <ReplayIcon />
                  </IconButton>
                </Tooltip>
                <Tooltip title="Remove from favorites">
                  <IconButton
                    edge="end"
                    aria-label={`Remove favorite ${favorite.name}`}
                    onClick={() => remove(favorite)}
                  >
                    <DeleteIcon />
                  </IconButton>
                </Tooltip>
              </ListItemSecondaryAction>
            </ListItem>
          ))}
        </List>
        <LoadMoreButton
          hasMore={list.hasMore}
          loading={list.loadingMore}
          onClick={list.loadMore}
          what="favorites"
        />
      </ListStates>
      {again && (
        <ResubmitDialog
          open
          what={again.name}
          submit={changes => api.requestFavorite(again.id, changes)}
          onClose={() => setAgain(undefined)}
        />
      )}
    </InfoCard>
  );
}
