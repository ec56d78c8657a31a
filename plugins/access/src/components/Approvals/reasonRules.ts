import { AccessRequest } from '@jit-access/plugin-access-common';

/** Whether the request's flow requires a reason for this decision (`requireReason`). */
export function reasonRequiredFor(
  request: Pick<AccessRequest, 'requireReason'>,
  decision: 'approve' | 'reject',
): boolean {
  const rule = request.requireReason;
  return rule === 'both' || rule === decision;
}
