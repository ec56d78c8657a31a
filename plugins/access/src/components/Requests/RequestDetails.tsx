import { InfoCard, Link, Progress } from '@backstage/core-components';
import {
  AccessRequestDetails,
  AccessRequestItem,
} from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { RequesterContext } from '../Approvals/RequesterContext';
import { AccessDetailsDialog } from '../Credentials/AccessDetailsDialog';
import { useCaller } from '../shared/CallerContext';
import { useAccessTranslation } from '../shared/i18n';
import { ItemsTable } from '../shared/ItemsTable';
import { ErrorNotice } from '../shared/ListStates';
import { StatusChip } from '../shared/StatusChip';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useEntityTitles } from '../shared/useEntityTitles';
import { ApprovalStages } from './ApprovalStages';
import { AuditTimeline } from './AuditTimeline';
import { RequestActions } from './RequestActions';
import { hasCredentials } from './requestRules';
import { RequestSummary } from './RequestSummary';
import { useRequestDetails } from './useRequestDetails';

/** Everything about one request, already loaded. */
export function RequestDetailsView(props: {
  request: AccessRequestDetails;
  onChanged(): void;
}) {
  const { request, onChanged } = props;
  const { caller } = useCaller();
  const links = useAccessLinks();
  const [detailsOf, setDetailsOf] = useState<AccessRequestItem>();
  const isGrantee = caller?.userEntityRef === request.granteeRef;
  const { t, format } = useAccessTranslation();
  const name = useEntityTitles(request.items.map(i => i.resourceRef));

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Typography variant="h5" component="h2">
          {format.items(request.items, name, 3)}
        </Typography>
        <StatusChip
          status={request.status}
          partiallyFulfilled={request.partiallyFulfilled}
        />
        {/* Not the secondary text colour: below 4.5:1 on the page's grey background. */}
        {request.statusReason && (
          <Typography variant="body2">{request.statusReason}</Typography>
        )}
        {request.extendsRequestId && (
          <Typography variant="body2">
            {t('requestPage.extends', {
              link: (
                <Link to={links.request(request.extendsRequestId)}>
                  {t('requestPage.extendsLink')}
                </Link>
              ),
            })}
          </Typography>
        )}
      </Grid>
      {request.partiallyFulfilled && (
        <Grid item xs={12}>
          <Alert severity="warning">
            {t('requestPage.partiallyFulfilled')}
          </Alert>
        </Grid>
      )}
      <Grid item xs={12}>
        <RequestActions request={request} onChanged={onChanged} />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('requestPage.cards.request')}>
          <RequestSummary request={request} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('requestPage.cards.approval')}>
          <ApprovalStages request={request} />
        </InfoCard>
      </Grid>
      {request.granteeHistory && !isGrantee && (
        <Grid item xs={12}>
          <InfoCard>
            <RequesterContext request={request} headingComponent="h3" />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard title={t('requestPage.cards.items')}>
          <ItemsTable
            items={request.items}
            renderAction={
              isGrantee
                ? item =>
                    hasCredentials(item) ? (
                      <Button size="small" onClick={() => setDetailsOf(item)}>
                        {t('requestPage.accessDetails')}
                      </Button>
                    ) : null
                : undefined
            }
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={t('requestPage.cards.timeline')}>
          <AuditTimeline audit={request.audit} />
        </InfoCard>
      </Grid>
      {detailsOf && (
        <AccessDetailsDialog
          open
          item={detailsOf}
          onClose={() => setDetailsOf(undefined)}
          onChanged={onChanged}
        />
      )}
    </Grid>
  );
}

/** Loads one request and shows it, live. */
export function RequestDetails(props: {
  requestId: string;
  onChanged?(): void;
}) {
  const { value, error, loading, reload } = useRequestDetails(props.requestId);
  const { t } = useAccessTranslation();
  if (loading) {
    return (
      <div aria-busy="true" aria-label={t('requestPage.loading')}>
        <Progress />
      </div>
    );
  }
  if (error || !value) {
    return (
      <ErrorNotice
        error={error}
        what={t('requestPage.what')}
        onRetry={reload}
      />
    );
  }
  return (
    <RequestDetailsView
      request={value}
      onChanged={() => {
        reload();
        props.onChanged?.();
      }}
    />
  );
}
