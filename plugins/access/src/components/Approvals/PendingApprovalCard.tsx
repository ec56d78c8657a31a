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
import {
  formatDateTime,
  formatIsoDuration,
  shortRef,
  summariseItems,
} from '../shared/format';
import { EntityName, WhyText } from '../shared/EntityNames';
import { ItemsTable } from '../shared/ItemsTable';
import { useAccessLinks } from '../shared/useAccessLinks';
import { Decision } from './DecisionDialog';
import { RequesterContext } from './RequesterContext';

function durationText(request: AccessRequest): string {
  if (request.duration) return formatIsoDuration(request.duration);
  if (request.endAt) return `until ${formatDateTime(request.endAt)}`;
  return '—';
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
  const title = `${shortRef(request.granteeRef)}: ${summariseItems(
    request.items,
  )}`;
  const why = whyApprover(request, me);
  const metadata: Record<string, unknown> = {
    'Why you': why ? (
      <WhyText why={why} />
    ) : (
      'You are an approver of this stage'
    ),
    'Request id': <Link to={links.request(request.id)}>{request.id}</Link>,
    Requester: <EntityName entityRef={request.requesterRef} />,
    Grantee: <EntityName entityRef={request.granteeRef} />,
    Channel: channelLabel(request.channel) ?? '—',
    Stage: `${request.currentStage + 1} of ${request.stageCount}`,
    Duration: durationText(request),
    Requested: formatDateTime(request.createdAt),
    Justification: request.justification || '—',
  };
  if (request.startAt) metadata.Starts = formatDateTime(request.startAt);
  if (request.ticket) {
    metadata.Ticket = [request.ticket.type, request.ticket.id]
      .filter(Boolean)
      .join(' ');
  }
  for (const [question, answer] of Object.entries(request.answers ?? {})) {
    metadata[question] = answer;
  }
  if (request.extendsRequestId) metadata.Extends = request.extendsRequestId;

  return (
    <Card variant="outlined" component="article" aria-label={title}>
      <CardContent>
        <FormControlLabel
          control={
            <Checkbox
              checked={selected}
              onChange={e => props.onSelect(e.target.checked)}
              inputProps={{ 'aria-label': `Select ${title}` }}
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
            An AI assistant asked for this on behalf of{' '}
            {shortRef(request.requesterRef)}: check that it is what they need.
          </Typography>
        )}
        <StructuredMetadataTable metadata={metadata} dense />
        <RequesterContext request={request} />
        <ItemsTable
          items={request.items}
          caption={`Resources requested for ${shortRef(request.granteeRef)}`}
        />
      </CardContent>
      <CardActions>
        <Button
          variant="contained"
          color="primary"
          onClick={() => props.onDecide('approve')}
          aria-label={`Approve ${title}`}
        >
          Approve
        </Button>
        <Button
          variant="outlined"
          color="secondary"
          onClick={() => props.onDecide('reject')}
          aria-label={`Reject ${title}`}
        >
          Reject
        </Button>
      </CardActions>
    </Card>
  );
}
