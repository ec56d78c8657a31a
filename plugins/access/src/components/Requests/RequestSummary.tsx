import { StructuredMetadataTable } from '@backstage/core-components';
import { AccessRequest } from '@jit-access/plugin-access-common';
import { channelLabel } from '../shared/channel';
import { Countdown } from '../shared/Countdown';
import { EntityName } from '../shared/EntityNames';
import { formatDateTime, formatIsoDuration } from '../shared/format';
import { endOf } from './requestRules';

/** Who, for whom, under which flow, for how long, and why. */
export function RequestSummary(props: { request: AccessRequest }) {
  const { request } = props;
  const end = endOf(request);
  const metadata: Record<string, unknown> = {
    'Request id': request.id,
    Requester: <EntityName entityRef={request.requesterRef} />,
    Grantee: <EntityName entityRef={request.granteeRef} />,
    Flow: <span title={request.flowId}>{request.flowTitle}</span>,
    Requested: formatDateTime(request.createdAt),
  };
  const channel = channelLabel(request.channel);
  if (channel) metadata.Channel = channel;
  if (request.duration) metadata.Duration = formatIsoDuration(request.duration);
  if (request.startAt) metadata.Starts = formatDateTime(request.startAt);
  if (end) {
    metadata.Ends =
      request.status === 'active' ? (
        <>
          {formatDateTime(end)} (<Countdown endAt={end} />)
        </>
      ) : (
        formatDateTime(end)
      );
  }
  if (request.extension?.max) {
    metadata.Extensions = `${request.extension.used} of ${
      request.extension.max
    } used${
      request.extension.requiresApproval ? ' (each needs approval)' : ''
    }`;
  }
  metadata.Justification = request.justification || '—';
  if (request.ticket) {
    metadata.Ticket = [request.ticket.type, request.ticket.id]
      .filter(Boolean)
      .join(' ');
  }
  for (const [question, answer] of Object.entries(request.answers ?? {})) {
    metadata[question] = answer;
  }
  return <StructuredMetadataTable metadata={metadata} dense />;
}
