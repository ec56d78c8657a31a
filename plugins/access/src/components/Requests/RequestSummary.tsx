import { StructuredMetadataTable } from '@backstage/core-components';
import { AccessRequest } from '@jit-access/plugin-access-common';
import { channelLabel } from '../shared/channel';
import { Countdown } from '../shared/Countdown';
import { EntityName } from '../shared/EntityNames';
import { useAccessTranslation } from '../shared/i18n';
import { endOf } from './requestRules';

/** Who, for whom, under which flow, for how long, and why. */
export function RequestSummary(props: { request: AccessRequest }) {
  const { request } = props;
  const end = endOf(request);
  const { t, format } = useAccessTranslation();
  const metadata: Record<string, unknown> = {
    [t('requestPage.summary.requestId')]: request.id,
    [t('requestPage.summary.requester')]: (
      <EntityName entityRef={request.requesterRef} />
    ),
    [t('requestPage.summary.grantee')]: (
      <EntityName entityRef={request.granteeRef} />
    ),
    [t('requestPage.summary.flow')]: (
      <span title={request.flowId}>{request.flowTitle}</span>
    ),
    [t('requestPage.summary.requested')]: format.dateTime(request.createdAt),
  };
  const channel = channelLabel(request.channel, t);
  if (channel) metadata[t('requestPage.summary.channel')] = channel;
  if (request.duration)
    metadata[t('requestPage.summary.duration')] = format.duration(
      request.duration,
    );
  if (request.startAt)
    metadata[t('requestPage.summary.starts')] = format.dateTime(
      request.startAt,
    );
  if (end) {
    metadata[t('requestPage.summary.ends')] =
      request.status === 'active'
        ? t('requestPage.summary.endsIn', {
            time: format.dateTime(end),
            countdown: <Countdown endAt={end} />,
          })
        : format.dateTime(end);
  }
  if (request.extension?.max) {
    const extensions = {
      used: format.number(request.extension.used),
      max: format.number(request.extension.max),
    };
    metadata[t('requestPage.summary.extensions')] = request.extension
      .requiresApproval
      ? t('requestPage.summary.extensionsUsedWithApproval', extensions)
      : t('requestPage.summary.extensionsUsed', extensions);
  }
  metadata[t('requestPage.summary.justification')] =
    request.justification || t('shared.none');
  if (request.ticket) {
    metadata[t('requestPage.summary.ticket')] = [
      request.ticket.type,
      request.ticket.id,
    ]
      .filter(Boolean)
      .join(' ');
  }
  for (const [question, answer] of Object.entries(request.answers ?? {})) {
    metadata[question] = answer;
  }
  return <StructuredMetadataTable metadata={metadata} dense />;
}
