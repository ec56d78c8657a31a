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
import { AccessTab, AccessTabs } from './AccessTabs';

const TABS: AccessTab[] = [
  { id: 'my-access', label: 'My access', path: '/' },
  { id: 'new', label: 'New request', path: '/new' },
  { id: 'requests', label: 'My requests', path: '/requests' },
  { id: 'delegated', label: 'Delegated requests', path: '/delegated' },
  { id: 'approvals', label: 'Approvals', path: '/approvals' },
];
const ADMIN_TAB: AccessTab = { id: 'admin', label: 'Admin', path: '/admin' };

function AccessPageContent() {
  const { isAdmin } = useCaller();
  return (
    <Page themeId="tool">
      <Header
        title="Access"
        subtitle="Request temporary access to databases, cloud roles and apps"
      />
      <AccessTabs tabs={isAdmin ? [...TABS, ADMIN_TAB] : TABS} />
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
