import { HeaderTabs } from '@backstage/core-components';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAccessLinks } from '../shared/useAccessLinks';

export interface AccessTab {
  id: string;
  label: string;
  /** Path below the access page, e.g. `/requests`. */
  path: string;
}

/** The tab whose path is the longest prefix of where we are (`/requests/:id` → My requests). */
export function selectedTabIndex(tabs: AccessTab[], subPath: string): number {
  let best = 0;
  let bestLength = -1;
  tabs.forEach((tab, index) => {
    const matches =
      tab.path === '/'
        ? subPath === '/' || subPath === ''
        : subPath === tab.path || subPath.startsWith(`${tab.path}/`);
    if (matches && tab.path.length > bestLength) {
      best = index;
      bestLength = tab.path.length;
    }
  });
  return best;
}

/** Header tabs that follow the URL and navigate on change. */
export function AccessTabs(props: { tabs: AccessTab[] }) {
  const { tabs } = props;
  const { root } = useAccessLinks();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const base = root === '/' ? '' : root;
  const subPath = pathname.startsWith(base)
    ? pathname.slice(base.length)
    : pathname;
  return (
    <HeaderTabs
      tabs={tabs.map(({ id, label }) => ({ id, label }))}
      selectedIndex={selectedTabIndex(tabs, subPath)}
      onChange={index =>
        navigate(
          `${base}${tabs[index].path === '/' ? '' : tabs[index].path}` || '/',
        )
      }
    />
  );
}
