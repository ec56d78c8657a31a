import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Countdown } from '../shared/Countdown';
import { useAccessTranslation } from '../shared/i18n';
import { ErrorNotice } from '../shared/ListStates';
import { useAccessLinks } from '../shared/useAccessLinks';
import { PluginRoot } from '../shared/PluginRoot';
import { useEntityAccess } from './useEntityAccess';
import { EntityTitle } from '../shared/EntityNames';

/**
 * For catalog entity pages: what can be requested on this entity, who holds access now and until
 * when, and a button to request it.
 */
export function EntityAccessCard() {
  return (
    <PluginRoot part="entity-card">
      <EntityAccessCardContent />
    </PluginRoot>
  );
}

function EntityAccessCardContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const links = useAccessLinks();
  const { value, loading, error } = useEntityAccess(entityRef);
  const { t, format } = useAccessTranslation();
  const cardTitle = t('entityCard.title');

  const action = (
    <LinkButton
      variant="contained"
      color="primary"
      to={links.newRequest({ resourceRef: entityRef })}
    >
      {t('entityCard.requestAccess')}
    </LinkButton>
  );

  if (loading) {
    return (
      <InfoCard title={cardTitle}>
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return (
      <InfoCard title={cardTitle}>
        <ErrorNotice error={error} what={t('entityCard.what')} />
      </InfoCard>
    );
  }
  if (!value.resource) {
    return (
      <InfoCard title={cardTitle}>
        <Typography>{t('entityCard.nothingRequestable')}</Typography>
      </InfoCard>
    );
  }
  const { resource, holders, complete } = value;
  return (
    <InfoCard
      title={cardTitle}
      subheader={t('entityCard.subheader', {
        type: resource.type,
        integration: resource.integration,
      })}
      actions={action}
    >
      <Typography variant="subtitle2" component="h3">
        {t('entityCard.permissions')}
      </Typography>
      <div
        role="list"
        aria-label={t('entityCard.permissions')}
        style={{ margin: '8px 0 16px' }}
      >
        {resource.permissions.map(p => (
          <span role="listitem" key={p}>
            <Chip label={p} size="small" style={{ marginRight: 4 }} />
          </span>
        ))}
      </div>
      <Typography variant="subtitle2" component="h3">
        {t('entityCard.holders')}
      </Typography>
      {holders.length === 0 ? (
        <Typography variant="body2">
          {complete ? t('entityCard.nobody') : t('entityCard.nobodyVisible')}
        </Typography>
      ) : (
        <Table size="small" aria-label={t('entityCard.holdersTableLabel')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('entityCard.columns.who')}</TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {t('entityCard.columns.permission')}
              </TableCell>
              <TableCell>{t('entityCard.columns.until')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {holders.map(h => (
              <TableRow key={`${h.requestId}-${h.permission}`}>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  <Link to={links.request(h.requestId)}>
                    <EntityTitle entityRef={h.granteeRef} />
                  </Link>
                </TableCell>
                <TableCell>{h.permission}</TableCell>
                <TableCell>
                  {h.until
                    ? t('entityCard.until', {
                        time: format.dateTime(h.until),
                        countdown: <Countdown endAt={h.until} />,
                      })
                    : t('shared.none')}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {!complete && holders.length > 0 && (
        <Typography variant="caption" color="textSecondary">
          {t('entityCard.partialList')}
        </Typography>
      )}
    </InfoCard>
  );
}
