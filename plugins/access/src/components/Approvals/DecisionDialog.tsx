import { useApi } from '@backstage/core-plugin-api';
import { AccessRequest } from '@jit-access/plugin-access-common';
import { accessApiRef } from '../../api';
import { useAccessTranslation } from '../shared/i18n';
import { ReasonDialog } from '../shared/ReasonDialog';
import { useEntityTitles } from '../shared/useEntityTitles';
import { reasonRequiredFor } from './reasonRules';

export type Decision = 'approve' | 'reject';

/**
 * Approve or reject one request with a reason, as its flow's rule (`requireReason`) demands. A 409 (someone else
 * decided first) stays in the dialog with the backend's words: who decided and what.
 */
export function DecisionDialog(props: {
  request: AccessRequest;
  decision: Decision;
  onDecided(answer: AccessRequest): void;
  onClose(): void;
}) {
  const { request, decision } = props;
  const api = useApi(accessApiRef);
  const approve = decision === 'approve';
  const { t, format } = useAccessTranslation();
  const name = useEntityTitles([
    request.granteeRef,
    ...request.items.map(i => i.resourceRef),
  ]);
  const grantee = { grantee: name(request.granteeRef) };
  return (
    <ReasonDialog
      open
      title={
        approve
          ? t('approvals.decisionDialog.approveTitle', grantee)
          : t('approvals.decisionDialog.rejectTitle', grantee)
      }
      description={format.items(request.items, name, 5)}
      confirmLabel={approve ? t('approvals.approve') : t('approvals.reject')}
      destructive={!approve}
      reasonRequired={reasonRequiredFor(request, decision)}
      onConfirm={async reason => {
        const answer = approve
          ? await api.approveRequest(request.id, reason)
          : await api.rejectRequest(request.id, reason);
        props.onDecided(answer);
      }}
      onClose={props.onClose}
    />
  );
}
