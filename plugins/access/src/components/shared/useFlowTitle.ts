import { useApi } from '@backstage/core-plugin-api';
import { AccessRequest } from '@jit-access/plugin-access-common';
import useAsync from 'react-use/esm/useAsync';
import { accessApiRef } from '../../api';

/**
 * The title of a request's flow. Requests carry the flow's id only; the flows that match its
 * items name it. Until then, or when the viewer may not see the flow, the id.
 */
export function useFlowTitle(request: AccessRequest): string {
  const api = useApi(accessApiRef);
  const { value } = useAsync(
    () =>
      api
        .matchFlows(
          request.items.map(({ resourceRef, permission }) => ({
            resourceRef,
            permission,
          })),
          request.granteeRef,
        )
        .then(
          result =>
            result.flows.find(match => match.flow.id === request.flowId)?.flow
              .title,
        )
        .catch(() => undefined),
    [api, request.id, request.flowId],
  );
  return value ?? request.flowId;
}
