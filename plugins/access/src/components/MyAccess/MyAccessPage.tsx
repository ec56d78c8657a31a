import { InfoCard, LinkButton } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { accessApiRef } from '../../api';
import { useCaller } from '../shared/CallerContext';
import { useAccessTranslation } from '../shared/i18n';
import { ListStates, LoadMoreButton } from '../shared/ListStates';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useLiveRefresh } from '../shared/useLiveRefresh';
import { usePagedList } from '../shared/usePagedList';
import { CurrentAccessCard } from './CurrentAccessCard';
import { FavoritesCard } from './FavoritesCard';
import { RecentRequestsCard } from './RecentRequestsCard';
import {
  StatusCount,
  StatusWidgets,
  WIDGET_STATUSES,
  WidgetStatus,
} from './StatusWidgets';

/** Counting stops here; beyond it a widget shows "100+". */
const COUNT_LIMIT = 100;

const EMPTY_KEYS = {
  active: 'myAccess.empty.active',
  pending_approval: 'myAccess.empty.pending_approval',
  scheduled: 'myAccess.empty.scheduled',
  failed: 'myAccess.empty.failed',
} as const satisfies Record<WidgetStatus, string>;

/** The landing page: counts per status, my current access, recent requests and favorites. */
export function MyAccessPage() {
  const api = useApi(accessApiRef);
  const links = useAccessLinks();
  const { caller, isAdmin } = useCaller();
  const [selected, setSelected] = useState<WidgetStatus>('active');
  const [refreshKey, setRefreshKey] = useState(0);
  const { t } = useAccessTranslation();
  const refresh = () => setRefreshKey(k => k + 1);
  useLiveRefresh(refresh);

  const counts = useAsync(async () => {
    const pages = await Promise.all(
      WIDGET_STATUSES.map(status =>
        api.listRequests({
          view: 'mine',
          status: [status],
          limit: COUNT_LIMIT,
        }),
      ),
    );
    return Object.fromEntries(
      WIDGET_STATUSES.map((status, i) => [
        status,
        { count: pages[i].items.length, more: Boolean(pages[i].nextCursor) },
      ]),
    ) as Record<WidgetStatus, StatusCount>;
  }, [api, refreshKey]);

  const list = usePagedList(
    cursor =>
      api.listRequests({ view: 'mine', status: [selected], cursor, limit: 20 }),
    [api, selected],
    refreshKey,
  );
  const viewer = { userEntityRef: caller?.userEntityRef, isAdmin };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <StatusWidgets
          counts={counts.value}
          selected={selected}
          onSelect={setSelected}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title={
            selected === 'active'
              ? t('myAccess.currentAccess')
              : t('myAccess.myRequests')
          }
        >
          <ListStates
            loading={list.loading}
            error={list.error}
            onRetry={list.reload}
            empty={list.items.length === 0}
            what={t('myAccess.what')}
            emptyTitle={t(EMPTY_KEYS[selected])}
            emptyAction={
              selected === 'active' ? (
                <LinkButton
                  variant="contained"
                  color="primary"
                  to={links.newRequest()}
                >
                  {t('myAccess.requestAccess')}
                </LinkButton>
              ) : undefined
            }
          >
            <Grid container spacing={2}>
              {list.items.map(request => (
                <Grid item xs={12} md={6} key={request.id}>
                  <CurrentAccessCard
                    request={request}
                    viewer={viewer}
                    onChanged={refresh}
                  />
                </Grid>
              ))}
            </Grid>
            <LoadMoreButton
              hasMore={list.hasMore}
              loading={list.loadingMore}
              onClick={list.loadMore}
              what={t('myAccess.whatMore')}
            />
          </ListStates>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <RecentRequestsCard refreshKey={refreshKey} />
      </Grid>
      <Grid item xs={12} md={6}>
        <FavoritesCard refreshKey={refreshKey} />
      </Grid>
    </Grid>
  );
}
