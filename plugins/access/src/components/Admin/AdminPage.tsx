import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { RequestsListPage } from '../Requests/RequestsListPage';
import { useCaller } from '../shared/CallerContext';
import { useAccessTranslation } from '../shared/i18n';
import { AuditVerificationCard } from './AuditVerificationCard';
import { ChatDeliveries } from './ChatDeliveries';
import { ReconciliationFindings } from './ReconciliationFindings';

/**
 * For holders of `access.admin`: every request (revoke any), the audit chain, drift, and chat
 * messages that failed.
 */
export function AdminPage() {
  const { isAdmin, loading } = useCaller();
  const { t } = useAccessTranslation();
  if (loading) {
    return <Progress />;
  }
  if (!isAdmin) {
    return (
      <EmptyState
        missing="info"
        title={t('admin.notAdmin.title')}
        description={t('admin.notAdmin.description')}
      />
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title={t('admin.allRequests')}>
          <RequestsListPage view="all" />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <AuditVerificationCard />
      </Grid>
      <Grid item xs={12} md={8}>
        <ReconciliationFindings />
      </Grid>
      <ChatDeliveries />
    </Grid>
  );
}
