import { Link, StructuredMetadataTable } from '@backstage/core-components';
import { AccessRequest } from '@jit-access/plugin-access-common';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { channelLabel } from '../shared/channel';
import { AccessT, Formatters, useAccessTranslation } from '../shared/i18n';
import { EntityName, WhyText } from '../shared/EntityNames';
import { ItemsTable } from '../shared/ItemsTable';
import { useAccessLinks } from '../shared/useAccessLinks';
import { useEntityTitles } from '../shared/useEntityTitles';
import { Decision } from './DecisionDialog';
import { RequesterContext } from './RequesterContext';

function durationText(
  request: AccessRequest,
  t: AccessT,
  format: Formatters,
): string {
  if (request.duration) return format.duration(request.duration);
  if (request.endAt)
    return t('approvals.card.until', { time: format.dateTime(request.endAt) });
  return t('shared.none');
}

/** Why the viewer may decide the current stage, as the backend recorded it. */
export function whyApprover(
  request: AccessRequest,
  me?: string,
): string | undefined {
  return request.approvers.find(
    a => a.stage === request.currentStage && a.entityRef === me,
  )?.why;
}

/** A request waiting for my decision, with everything needed to decide. */
export function PendingApprovalCard(props: {
  request: AccessRequest;
  me?: string;
  selected: boolean;
  onSelect(selected: boolean): void;
  onDecide(decision: Decision): void;
}) {
  const { request, me, selected } = props;
  const links = useAccessLinks();
  const { t, format } = useAccessTranslation();
  const name = useEntityTitles([
    request.granteeRef,
    request.requesterRef,
    ...request.items.map(i => i.resourceRef),
  ]);
  const title = t('approvals.card.title', {
    grantee: name(request.granteeRef),
    items: format.items(request.items, name),
  });
  const why = whyApprover(request, me);
  const metadata: Record<string, unknown> = {
    [t('approvals.card.whyYou')]: why ? (
      <WhyText why={why} />
    ) : (
      t('approvals.card.youAreApprover')
    ),
    [t('approvals.card.requestId')]: (
      <Link to={links.request(request.id)}>{request.id}</Link>
    ),
    [t('approvals.card.requester')]: (
      <EntityName entityRef={request.requesterRef} />
    ),
    [t('approvals.card.grantee')]: (
      <EntityName entityRef={request.granteeRef} />
    ),
    [t('approvals.card.channel')]:
      channelLabel(request.channel, t) ?? t('shared.none'),
    [t('approvals.card.stage')]: t('approvals.card.stageOf', {
      stage: format.number(request.currentStage + 1),
      stages: format.number(request.stageCount),
    }),
    [t('approvals.card.duration')]: durationText(request, t, format),
    [t('approvals.card.requested')]: format.dateTime(request.createdAt),
    [t('approvals.card.justification')]:
      request.justification || t('shared.none'),
  };
  if (request.startAt)
    metadata[t('approvals.card.starts')] = format.dateTime(request.startAt);
  if (request.ticket) {
    metadata[t('approvals.card.ticket')] = [
      request.ticket.type,
      request.ticket.id,
    ]
      .filter(Boolean)
      .join(' ');
  }
  for (const [question, answer] of Object.entries(request.answers ?? {})) {
    metadata[question] = answer;
  }
  if (request.extendsRequestId)
    metadata[t('approvals.card.extends')] = request.extendsRequestId;

  return (
    <Card variant="outlined" component="article" aria-label={title}>
      <CardContent>
        <FormControlLabel
          control={
            <Checkbox
              checked={selected}
              onChange={e => props.onSelect(e.target.checked)}
              inputProps={{
                'aria-label': t('approvals.card.selectLabel', { title }),
              }}
            />
          }
          label={
            <Typography variant="h6" component="h3">
              {title}
            </Typography>
          }
        />
        {request.channel === 'action' && (
          <Typography variant="body2" color="textSecondary" role="note">
            {t('approvals.card.assistantNote', {
              requester: name(request.requesterRef),
            })}
          </Typography>
        )}
        <StructuredMetadataTable metadata={metadata} dense />
        <RequesterContext request={request} />
        <ItemsTable
          items={request.items}
          caption={t('approvals.card.itemsCaption', {
            grantee: name(request.granteeRef),
          })}
        />
      </CardContent>
      <CardActions>
        <Button
          variant="contained"
          color="primary"
          onClick={() => props.onDecide('approve')}
          aria-label={t('approvals.card.approveLabel', { title })}
        >
          {t('approvals.approve')}
        </Button>
        <Button
          variant="outlined"
          color="secondary"
          onClick={() => props.onDecide('reject')}
          aria-label={t('approvals.card.rejectLabel', { title })}
        >
          {t('approvals.reject')}
        </Button>
      </CardActions>
    </Card>
  );
}
