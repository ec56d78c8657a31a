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
import { useAccessTranslation } from '../shared/i18n';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { useEntityTitles } from '../shared/useEntityTitles';
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
  const { t, format } = useAccessTranslation();
  const list = usePagedList(
    cursor => api.listFavorites({ limit: pageSize, cursor }),
    [api, pageSize],
    props.refreshKey,
  );
  const name = useEntityTitles(
    list.items.flatMap(f => (f.template.items ?? []).map(i => i.resourceRef)),
  );

  const remove = async (favorite: AccessFavorite) => {
    try {
      await api.deleteFavorite(favorite.id);
      list.reload();
    } catch (e) {
      alertApi.post({ message: errorSentence(e, t), severity: 'error' });
    }
  };

  return (
    <InfoCard title={t('myAccess.favorites.title')}>
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={list.items.length === 0}
        what={t('myAccess.favorites.what')}
        emptyTitle={t('myAccess.favorites.emptyTitle')}
        emptyDescription={t('myAccess.favorites.emptyDescription')}
      >
        <List dense aria-label={t('myAccess.favorites.title')}>
          {list.items.map(favorite => (
            <ListItem key={favorite.id}>
              <ListItemText
                primary={favorite.name}
                secondary={[
                  format.items(favorite.template.items ?? [], name),
                  format.duration(favorite.template.duration),
                ]
                  .filter(Boolean)
                  .join(t('myAccess.separator'))}
              />
              <ListItemSecondaryAction>
                <Tooltip title={t('myAccess.requestAgain')}>
                  <IconButton
                    aria-label={t('myAccess.requestAgainLabel', {
                      what: favorite.name,
                    })}
                    onClick={() => setAgain(favorite)}
                  >
                    <ReplayIcon />
                  </IconButton>
                </Tooltip>
                <Tooltip title={t('myAccess.favorites.remove')}>
                  <IconButton
                    edge="end"
                    aria-label={t('myAccess.favorites.removeLabel', {
                      name: favorite.name,
                    })}
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
          what={t('myAccess.favorites.what')}
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
