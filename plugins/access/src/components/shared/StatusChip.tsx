import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { RequestStatus } from '@jit-access/plugin-access-common';
import { statusLabel } from './format';

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
  if (partiallyFulfilled && status === 'active') {
    return <StatusWarning>Partially fulfilled</StatusWarning>;
  }
  const Icon = ICONS[status] ?? StatusPending;
  return <Icon>{statusLabel(status)}</Icon>;
}
