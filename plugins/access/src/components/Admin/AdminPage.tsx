import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { RequestsListPage } from '../Requests/RequestsListPage';
import { useCaller } from '../shared/CallerContext';
import { AuditVerificationCard } from './AuditVerificationCard';
import { ReconciliationFindings } from './ReconciliationFindings';

/** For holders of `access.admin`: every request (revoke any), the audit chain and drift. */
export function AdminPage() {
  const { isAdmin, loading } = useCaller();
  if (loading) {
    return <Progress />;
  }
  if (!isAdmin) {
    return (
      <EmptyState
        missing="info"
        title="Administrators only"
        description="This page needs the access.admin permission."
      />
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="All requests">
          <RequestsListPage view="all" />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <AuditVerificationCard />
      </Grid>
      <Grid item xs={12} md={8}>
        <ReconciliationFindings />
      </Grid>
    </Grid>
  );
}
