import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  AccessRequestItem,
} from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { accessApiRef } from '../../api';
import { AccessDetailsDialog } from '../Credentials/AccessDetailsDialog';
import { ExtendDialog } from '../Requests/ExtendDialog';
import {
  canCancel,
  canExtend,
  canRevoke,
  endOf,
  hasCredentials,
  Viewer,
} from '../Requests/requestRules';
import { Countdown } from '../shared/Countdown';
import { useAccessTranslation } from '../shared/i18n';
import { ReasonDialog } from '../shared/ReasonDialog';
import { StatusChip } from '../shared/StatusChip';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useEntityTitles } from '../shared/useEntityTitles';
import { EntityName } from '../shared/EntityNames';

/**
 * One of my requests on the landing page: what, until when (with a countdown), and the actions
 * that apply now.
 */
export function CurrentAccessCard(props: {
  request: AccessRequest;
  viewer: Viewer;
  onChanged(): void;
}) {
  const { request, viewer, onChanged } = props;
  const api = useApi(accessApiRef);
  const links = useAccessLinks();
  const [dialog, setDialog] = useState<'extend' | 'revoke' | 'cancel'>();
  const [detailsOf, setDetailsOf] = useState<AccessRequestItem>();
  const { t, format } = useAccessTranslation();
  const end = endOf(request);
  const name = useEntityTitles(request.items.map(i => i.resourceRef));
  const title = format.items(request.items, name, 3);
  const withCredentials = request.items.filter(hasCredentials);

  return (
    <Card variant="outlined" component="article" aria-label={title}>
      <CardContent>
        <Typography variant="h6" component="h3">
          {title}
        </Typography>
        <StatusChip
          status={request.status}
          partiallyFulfilled={request.partiallyFulfilled}
        />
        {request.granteeRef !== viewer.userEntityRef && (
          <Typography variant="body2">
            {t('myAccess.card.for', {
              grantee: <EntityName entityRef={request.granteeRef} />,
            })}
          </Typography>
        )}
        {end && request.status === 'active' && (
          <Typography variant="body2">
            {t('myAccess.card.ends', {
              time: format.dateTime(end),
              countdown: <Countdown endAt={end} />,
            })}
          </Typography>
        )}
        {request.statusReason && request.status === 'failed' && (
          <Typography variant="body2" color="error">
            {request.statusReason}
          </Typography>
        )}
      </CardContent>
      <CardActions style={{ flexWrap: 'wrap' }}>
        {withCredentials.map(item => (
          <Button
            key={item.id}
            size="small"
            color="primary"
            onClick={() => setDetailsOf(item)}
            aria-label={t('myAccess.card.accessDetailsLabel', {
              item: t('shared.items.item', {
                resource: name(item.resourceRef),
                permission: item.permission,
              }),
            })}
          >
            {withCredentials.length > 1
              ? t('myAccess.card.accessDetailsOf', {
                  resource: name(item.resourceRef),
                })
              : t('myAccess.card.accessDetails')}
          </Button>
        ))}
        {canExtend(request, viewer) && (
          <Button
            size="small"
            color="primary"
            variant="contained"
            onClick={() => setDialog('extend')}
          >
            {t('myAccess.card.extend')}
          </Button>
        )}
        {canRevoke(request, viewer) && (
          <Button
            size="small"
            color="secondary"
            onClick={() => setDialog('revoke')}
          >
            {t('myAccess.card.revoke')}
          </Button>
        )}
        {canCancel(request, viewer) && (
          <Button size="small" onClick={() => setDialog('cancel')}>
            {t('myAccess.card.cancelRequest')}
          </Button>
        )}
        <Link
          to={links.request(request.id)}
          aria-label={t('myAccess.card.detailsLabel', { title })}
        >
          {t('myAccess.card.details')}
        </Link>
      </CardActions>
      {dialog === 'extend' && (
        <ExtendDialog
          open
          request={request}
          onClose={() => setDialog(undefined)}
          onExtended={onChanged}
        />
      )}
      <ReasonDialog
        open={dialog === 'revoke'}
        title={t('myAccess.card.revokeTitle')}
        description={t('myAccess.card.revokeDescription', { title })}
        confirmLabel={t('myAccess.card.revoke')}
        destructive
        onConfirm={async reason => {
          await api.revokeRequest(request.id, reason);
          setDialog(undefined);
          onChanged();
        }}
        onClose={() => setDialog(undefined)}
      />
      <ReasonDialog
        open={dialog === 'cancel'}
        title={t('myAccess.card.cancelTitle')}
        confirmLabel={t('myAccess.card.cancelRequest')}
        onConfirm={async reason => {
          await api.cancelRequest(request.id, reason);
          setDialog(undefined);
          onChanged();
        }}
        onClose={() => setDialog(undefined)}
      />
      {detailsOf && (
        <AccessDetailsDialog
          open
          item={detailsOf}
          onClose={() => setDetailsOf(undefined)}
          onChanged={onChanged}
        />
      )}
    </Card>
  );
}
