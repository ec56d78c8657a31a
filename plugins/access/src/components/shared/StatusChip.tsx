import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { RequestStatus } from '@jit-access/plugin-access-common';
import { useAccessTranslation } from './i18n';

const ICONS: Record<RequestStatus, typeof StatusOK> = {
  pending_approval: StatusPending,
  scheduled: StatusPending,
  granting: StatusRunning,
  active: StatusOK,
  revoking: StatusRunning,
  expired: StatusAborted,
  revoked: StatusAborted,
  rejected: StatusError,
  cancelled: StatusAborted,
  failed: StatusError,
};

/** A request's status as an icon and a word (colour alone never carries the meaning). */
export function StatusChip(props: {
  status: RequestStatus;
  partiallyFulfilled?: boolean;
}) {
  const { status, partiallyFulfilled } = props;
  const { t, format } = useAccessTranslation();
  if (partiallyFulfilled && status === 'active') {
    return (
      <StatusWarning>{t('shared.status.partiallyFulfilled')}</StatusWarning>
    );
  }
  const Icon = ICONS[status] ?? StatusPending;
  return <Icon>{format.status(status)}</Icon>;
}
