import {
  Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  AccessItemHistory,
  AccessRequest,
} from '@jit-access/plugin-access-common';
import Typography from '@material-ui/core/Typography';
import { Fragment, ReactNode, useId } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { EntityName } from '../shared/EntityNames';
import { useAccessTranslation } from '../shared/i18n';

/** The groups a user entity is a member of, as refs: its relations, else its spec. */
export function teamsOf(entity: Entity | undefined): string[] {
  if (!entity) return [];
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_MEMBER_OF)
    .map(r => r.targetRef);
  if (related.length > 0) return [...new Set(related)];
  const declared = (entity.spec as { memberOf?: unknown } | undefined)
    ?.memberOf;
  if (!Array.isArray(declared)) return [];
  return declared.flatMap(ref => {
    try {
      return [
        stringifyEntityRef(
          parseEntityRef(String(ref), {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        ),
      ];
    } catch {
      return [];
    }
  });
}

/** The requester's team(s) by name, from their catalog entity. */
function RequesterTeams(props: { userRef: string }) {
  const { t } = useAccessTranslation();
  // Optional, as for catalog-react's own presentation: an app without the catalog shows no team.
  const catalogApi = useApiHolder().get(catalogApiRef);
  const {
    value: teams,
    loading,
    error,
  } = useAsync(
    async () =>
      catalogApi
        ? teamsOf(await catalogApi.getEntityByRef(props.userRef))
        : undefined,
    [catalogApi, props.userRef],
  );
  // Unknown is not none: while loading or when the catalog fails, say nothing.
  if (loading || error || !catalogApi) return null;
  if (!teams || teams.length === 0) {
    return (
      <Typography variant="body2">{t('requesterContext.noTeam')}</Typography>
    );
  }
  return (
    <Typography variant="body2">
      {t('requesterContext.team', {
        teams: (
          <>
            {teams.map((ref, i) => (
              <Fragment key={ref}>
                {i > 0 && ', '}
                <EntityName entityRef={ref} />
              </Fragment>
            ))}
          </>
        ),
      })}
    </Typography>
  );
}

/** What the grantee's past says about one item: counts, the last decision, what is open. */
function ItemHistoryLines(props: { item: AccessItemHistory; days: number }) {
  const { t, format } = useAccessTranslation();
  const { item } = props;
  const days = format.number(props.days);
  const decision = item.lastDecision;
  const lines: ReactNode[] = [
    item.grantedInWindow > 0
      ? t('requesterContext.granted', { count: item.grantedInWindow, days })
      : t('requesterContext.notGranted', { days }),
    decision
      ? t(
          decision.decision === 'approve'
            ? 'requesterContext.lastApproved'
            : 'requesterContext.lastRejected',
          {
            person: <EntityName entityRef={decision.approverRef} />,
            date: format.dateTime(decision.decidedAt),
          },
        )
      : t('requesterContext.noDecision'),
  ];
  if (item.pendingRequests > 0) {
    lines.push(t('requesterContext.pending', { count: item.pendingRequests }));
  }
  if (item.active) {
    lines.push(
      item.active.expiresAt
        ? t('requesterContext.activeUntil', {
            date: format.dateTime(item.active.expiresAt),
          })
        : t('requesterContext.active'),
    );
  }
  return (
    <ul style={{ margin: 0, paddingLeft: 20 }}>
      {lines.map((line, i) => (
        <li key={i}>
          <Typography variant="body2" component="span">
            {line}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

/**
 * What an approver needs to decide in one look, beside "why you" and the requester's and
 * grantee's names (shown with the request): the requester's team, and the grantee's history
 * with the same resources and permissions.
 */
export function RequesterContext(props: {
  request: AccessRequest;
  /** The heading's level: the card's title is an h3, the page's card titles are higher. */
  headingComponent?: 'h3' | 'h4';
}) {
  const { t } = useAccessTranslation();
  const { request, headingComponent = 'h4' } = props;
  const headingId = useId();
  const history = request.granteeHistory;
  return (
    <section aria-labelledby={headingId}>
      <Typography
        variant="subtitle1"
        component={headingComponent}
        id={headingId}
      >
        {t('requesterContext.title')}
      </Typography>
      <RequesterTeams userRef={request.requesterRef} />
      {history && history.items.length > 0 && (
        <>
          <Typography variant="subtitle2" component="p">
            {request.granteeRef === request.requesterRef
              ? t('requesterContext.historyTitle')
              : t('requesterContext.historyOf', {
                  person: <EntityName entityRef={request.granteeRef} />,
                })}
          </Typography>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {history.items.map(item => (
              <li key={`${item.resourceRef} ${item.permission}`}>
                <Typography variant="body2" component="span">
                  {t('requesterContext.item', {
                    resource: <EntityName entityRef={item.resourceRef} />,
                    permission: item.permission,
                  })}
                </Typography>
                <ItemHistoryLines item={item} days={history.windowDays} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
