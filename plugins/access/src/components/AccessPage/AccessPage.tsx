import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { accessApiRef } from '../../api';

/** Shows who the access backend sees behind the signed-in user, and whether it is up. */
function CallerCard() {
  const accessApi = useApi(accessApiRef);
  const { value, loading, error } = useAsync(async () => {
    const [health, caller] = await Promise.all([
      accessApi.getHealth(),
      accessApi.getCaller(),
    ]);
    return { health, caller };
  }, [accessApi]);

  if (loading) {
    return <Progress />;
  }
  if (error || !value) {
    return <ResponseErrorPanel error={error ?? new Error('No answer')} />;
  }
  return (
    <InfoCard title="Your access identity">
      <StructuredMetadataTable
        metadata={{
          'Signed in as': value.caller.userEntityRef,
          'Acting for': value.caller.ownershipEntityRefs.join(', '),
          'Access service': value.health.status === 'ok' ? 'Available' : 'Down',
        }}
      />
    </InfoCard>
  );
}

export const AccessPage = () => (
  <Page themeId="tool">
    <Header
      title="Access"
      subtitle="Request temporary access to databases, cloud roles and apps"
    />
    <Content>
      <ContentHeader title="Just-in-time access" />
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <CallerCard />
        </Grid>
      </Grid>
    </Content>
  </Page>
);
