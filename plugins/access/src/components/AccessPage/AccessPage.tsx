import { Content, Header, Page } from '@backstage/core-components';
import { Route, Routes } from 'react-router-dom';
import { AdminPage } from '../Admin/AdminPage';
import { ApprovalsPage } from '../Approvals/ApprovalsPage';
import { MyAccessPage } from '../MyAccess/MyAccessPage';
import { NewRequestPage } from '../NewRequest/NewRequestPage';
import { RequestPage } from '../Requests/RequestPage';
import { RequestsListPage } from '../Requests/RequestsListPage';
import { LiveAnnouncer } from '../shared/LiveAnnouncer';
import { PluginRoot } from '../shared/PluginRoot';
import { CallerProvider, useCaller } from '../shared/CallerContext';
import { AccessT, useAccessTranslation } from '../shared/i18n';
import { AccessTab, AccessTabs } from './AccessTabs';

function accessTabs(t: AccessT, isAdmin: boolean): AccessTab[] {
  const tabs: AccessTab[] = [
    { id: 'my-access', label: t('accessPage.tabs.myAccess'), path: '/' },
    { id: 'new', label: t('accessPage.tabs.newRequest'), path: '/new' },
    {
      id: 'requests',
      label: t('accessPage.tabs.myRequests'),
      path: '/requests',
    },
    {
      id: 'delegated',
      label: t('accessPage.tabs.delegatedRequests'),
      path: '/delegated',
    },
    {
      id: 'approvals',
      label: t('accessPage.tabs.approvals'),
      path: '/approvals',
    },
  ];
  if (isAdmin) {
    tabs.push({
      id: 'admin',
      label: t('accessPage.tabs.admin'),
      path: '/admin',
    });
  }
  return tabs;
}

function AccessPageContent() {
  const { isAdmin } = useCaller();
  const { t } = useAccessTranslation();
  return (
    <Page themeId="tool">
      <Header
        title={t('accessPage.title')}
        subtitle={t('accessPage.subtitle')}
      />
      <AccessTabs tabs={accessTabs(t, isAdmin)} />
      <LiveAnnouncer />
      <Content>
        <Routes>
          <Route path="/" element={<MyAccessPage />} />
          <Route path="/new" element={<NewRequestPage />} />
          <Route path="/requests" element={<RequestsListPage view="mine" />} />
          <Route path="/requests/:id" element={<RequestPage />} />
          <Route
            path="/delegated"
            element={<RequestsListPage view="delegated" />}
          />
          <Route path="/approvals" element={<ApprovalsPage />} />
          <Route path="/admin" element={<AdminPage />} />
        </Routes>
      </Content>
    </Page>
  );
}

/** The access pages under one header with tabs: `/`, `/new`, `/requests`, … */
export const AccessPage = () => (
  <PluginRoot part="page">
    <CallerProvider>
      <AccessPageContent />
    </CallerProvider>
  </PluginRoot>
);
