import { useApi } from '@backstage/core-plugin-api';
import { Link, LinkButton } from '@backstage/core-components';
import {
  AccessRequest,
  RequestStatus,
  RequestView,
} from '@jit-access/plugin-access-common';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { accessApiRef } from '../../api';
import { useFilterLabelStyles } from '../shared/filterLabel';
import { useAccessTranslation } from '../shared/i18n';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useLiveRefresh } from '../shared/useLiveRefresh';
import { usePagedList } from '../shared/usePagedList';
import { RequestDetails } from './RequestDetails';
import { RequestsTable } from './RequestsTable';
import { StatusFilter } from './StatusFilter';

const PAGE_SIZE = 25;

const COPY = {
  mine: {
    captionKey: 'requests.mine.caption',
    emptyKey: 'requests.mine.empty',
  },
  delegated: {
    captionKey: 'requests.delegated.caption',
    emptyKey: 'requests.delegated.empty',
  },
  all: {
    captionKey: 'requests.all.caption',
    emptyKey: 'requests.all.empty',
  },
} as const;

/**
 * A filterable list of requests (mine, delegated, or all for admins) with a details panel for the
 * one selected.
 */
export function RequestsListPage(props: {
  view: Extract<RequestView, 'mine' | 'delegated' | 'all'>;
}) {
  const { view } = props;
  const api = useApi(accessApiRef);
  const links = useAccessLinks();
  const labelClasses = useFilterLabelStyles();
  const { t } = useAccessTranslation();
  const [statuses, setStatuses] = useState<RequestStatus[]>([]);
  const [search, setSearch] = useState('');
  // The API searches every request, not just the loaded pages; ask once typing pauses.
  const [query, setQuery] = useState('');
  useDebounce(() => setQuery(search.trim()), 300, [search]);
  const [selected, setSelected] = useState<AccessRequest>();
  const list = usePagedList(
    cursor =>
      api.listRequests({
        view,
        status: statuses,
        ...(query ? { q: query } : {}),
        cursor,
        limit: PAGE_SIZE,
      }),
    [api, view, statuses.join(','), query],
  );
  useLiveRefresh(list.reload);

  const shown = list.items;
  const copy = COPY[view];
  return (
    <>
      <div
        style={{ display: 'flex', gap: 16, flexWrap: 'wrap', marginBottom: 16 }}
      >
        <StatusFilter
          value={statuses}
          onChange={setStatuses}
          id={`${view}-status`}
        />
        <TextField
          id={`${view}-search`}
          label={t('requests.search')}
          placeholder={t('requests.searchPlaceholder')}
          variant="outlined"
          size="small"
          value={search}
          onChange={e => setSearch(e.target.value)}
          inputProps={{ 'aria-label': t('requests.searchLabel') }}
          InputLabelProps={{ classes: { root: labelClasses.label } }}
        />
      </div>
      <ListStates
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={shown.length === 0}
        what={t('requests.what')}
        emptyTitle={
          query || statuses.length > 0
            ? t('requests.noMatch')
            : t(copy.emptyKey)
        }
        emptyAction={
          view === 'all' ? undefined : (
            <LinkButton
              variant="contained"
              color="primary"
              to={links.newRequest()}
            >
              {t('requests.newRequest')}
            </LinkButton>
          )
        }
      >
        <RequestsTable
          requests={shown}
          caption={t(copy.captionKey)}
          selectedId={selected?.id}
          onSelect={setSelected}
          person={view === 'mine' ? 'requester' : 'both'}
        />
      </ListStates>
      <LoadMoreButton
        hasMore={list.hasMore && !list.loading}
        loading={list.loadingMore}
        onClick={list.loadMore}
        what={t('requests.what')}
      />
      <Drawer
        data-jit-access="drawer"
        anchor="right"
        open={Boolean(selected)}
        onClose={() => setSelected(undefined)}
        PaperProps={
          {
            style: { width: 'min(900px, 100vw)', padding: 24 },
            role: 'dialog',
            'aria-label': t('requests.details'),
          } as any
        }
      >
        <div
          style={{
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
          }}
        >
          <Typography variant="h6" component="p">
            {t('requests.details')}
          </Typography>
          <IconButton
            aria-label={t('requests.closeDetails')}
            onClick={() => setSelected(undefined)}
          >
            <CloseIcon />
          </IconButton>
        </div>
        {selected && (
          <>
            <Link to={links.request(selected.id)}>
              {t('requests.openAsPage')}
            </Link>
            <RequestDetails requestId={selected.id} onChanged={list.reload} />
          </>
        )}
      </Drawer>
    </>
  );
}
