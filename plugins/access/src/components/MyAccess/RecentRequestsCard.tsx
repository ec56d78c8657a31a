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
import { useAccessTranslation } from '../shared/i18n';
import { ListStates } from '../shared/ListStates';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useEntityTitles } from '../shared/useEntityTitles';
import { usePagedList } from '../shared/usePagedList';

/** The three most recent closed requests, each with "Request again". */
export function RecentRequestsCard(props: { refreshKey: number }) {
  const api = useApi(accessApiRef);
  const links = useAccessLinks();
  const [again, setAgain] = useState<AccessRequest>();
  const { t, format } = useAccessTranslation();
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
  const name = useEntityTitles(
    [...list.items, ...(again ? [again] : [])].flatMap(r =>
      r.items.map(i => i.resourceRef),
    ),
  );
  return (
    <InfoCard
      title={t('myAccess.recent.title')}
      deepLink={{ title: t('myAccess.recent.all'), link: links.requests }}
    >
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={list.items.length === 0}
        what={t('myAccess.recent.what')}
        emptyTitle={t('myAccess.recent.emptyTitle')}
        emptyDescription={t('myAccess.recent.emptyDescription')}
      >
        <List dense aria-label={t('myAccess.recent.title')}>
          {list.items.slice(0, 3).map(request => (
            <ListItem key={request.id}>
              <ListItemText
                primary={
                  <Link to={links.request(request.id)}>
                    {format.items(request.items, name)}
                  </Link>
                }
                secondary={[
                  format.status(request.status),
                  format.relative(request.updatedAt),
                ].join(t('myAccess.separator'))}
              />
              <ListItemSecondaryAction>
                <Tooltip title={t('myAccess.requestAgain')}>
                  <IconButton
                    edge="end"
                    aria-label={t('myAccess.requestAgainLabel', {
                      what: format.items(request.items, name),
                    })}
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
          what={format.items(again.items, name)}
          submit={changes => api.requestAgain(again.id, changes)}
          onClose={() => setAgain(undefined)}
        />
      )}
    </InfoCard>
  );
}
