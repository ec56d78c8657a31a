import { AccessRequest } from '@jit-access/plugin-access-common';
import { statusLabel } from '../shared/format';

/**
 * Whether a request matches free text, over what a person sees in the list. The API has no text
 * search on requests, so this filters the pages loaded so far.
 */
export function matchesSearch(request: AccessRequest, text: string): boolean {
  const needle = text.trim().toLocaleLowerCase('en-US');
  if (!needle) return true;
  const haystack = [
    request.id,
    request.requesterRef,
    request.granteeRef,
    request.flowId,
    request.justification ?? '',
    request.ticket?.id ?? '',
    statusLabel(request.status),
    ...request.items.flatMap(i => [i.resourceRef, i.permission]),
  ]
    .join(' ')
    .toLocaleLowerCase('en-US');
  return haystack.includes(needle);
}
