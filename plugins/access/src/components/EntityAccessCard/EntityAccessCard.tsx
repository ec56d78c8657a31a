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
import { formatDateTime } from '../shared/format';
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

  const action = (
    <LinkButton
      variant="contained"
      color="primary"
      to={links.newRequest({ resourceRef: entityRef })}
    >
      Request access
    </LinkButton>
  );

  if (loading) {
    return (
      <InfoCard title="Just-in-time access">
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return (
      <InfoCard title="Just-in-time access">
        <ErrorNotice error={error} what="the access to this entity" />
      </InfoCard>
    );
  }
  if (!value.resource) {
    return (
      <InfoCard title="Just-in-time access">
        <Typography>Nothing on this entity can be requested.</Typography>
      </InfoCard>
    );
  }
  const { resource, holders, complete } = value;
  return (
    <InfoCard
      title="Just-in-time access"
      subheader={`${resource.type} via ${resource.integration}`}
      actions={action}
    >
      <Typography variant="subtitle2" component="h3">
        Permissions you can request
      </Typography>
      <div
        role="list"
        aria-label="Permissions you can request"
        style={{ margin: '8px 0 16px' }}
      >
        {resource.permissions.map(p => (
          <span role="listitem" key={p}>
            <Chip label={p} size="small" style={{ marginRight: 4 }} />
          </span>
        ))}
      </div>
      <Typography variant="subtitle2" component="h3">
        Who has access now
      </Typography>
      {holders.length === 0 ? (
        <Typography variant="body2">
          {complete
            ? 'Nobody holds access right now.'
            : 'Nobody you can see holds access right now.'}
        </Typography>
      ) : (
        <Table size="small" aria-label="Current access holders">
          <TableHead>
            <TableRow>
              <TableCell>Who</TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>Permission</TableCell>
              <TableCell>Until</TableCell>
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
                  {h.until ? (
                    <>
                      {formatDateTime(h.until)} (<Countdown endAt={h.until} />)
                    </>
                  ) : (
                    '—'
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {!complete && holders.length > 0 && (
        <Typography variant="caption" color="textSecondary">
          Only your own access and access you requested for others is listed.
        </Typography>
      )}
    </InfoCard>
  );
}
