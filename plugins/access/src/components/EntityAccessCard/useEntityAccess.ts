import { useApi } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  AccessResource,
} from '@jit-access/plugin-access-common';
import useAsync from 'react-use/esm/useAsync';
import { AccessApi, accessApiRef } from '../../api';
import { describeError } from '../shared/errors';

/** Pages of active requests read to find the holders of one entity's access. */
const HOLDER_PAGES = 4;

export interface Holder {
  granteeRef: string;
  permission: string;
  until?: string;
  requestId: string;
}

async function activeRequests(
  api: AccessApi,
): Promise<{ requests: AccessRequest[]; complete: boolean }> {
  const read = async (view: 'all' | 'mine' | 'delegated') => {
    const requests: AccessRequest[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api.listRequests({
        view,
        status: ['active'],
        cursor,
        limit: 100,
      });
      requests.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < HOLDER_PAGES);
    return requests;
  };
  try {
    return { requests: await read('all'), complete: true };
  } catch (e) {
    if (describeError(e).status !== 403) throw e;
    // Not an admin: the holders one can see are oneself and those one requested for.
    const [mine, delegated] = await Promise.all([
      read('mine'),
      read('delegated'),
    ]);
    return { requests: [...mine, ...delegated], complete: false };
  }
}

export function holdersOf(
  requests: AccessRequest[],
  resourceRef: string,
): Holder[] {
  return requests.flatMap(r =>
    r.items
      .filter(i => i.resourceRef === resourceRef && i.status === 'active')
      .map(i => ({
        granteeRef: r.granteeRef,
        permission: i.permission,
        until: i.expiresAt ?? r.endAt,
        requestId: r.id,
      })),
  );
}

/** The requestable resource behind an entity, and who holds access to it now. */
export function useEntityAccess(entityRef: string) {
  const api = useApi(accessApiRef);
  return useAsync(async () => {
    const name = entityRef.split('/').pop();
    const page = await api.listResources({ q: name, limit: 100 });
    const resource: AccessResource | undefined = page.items.find(
      r => r.ref === entityRef,
    );
    if (!resource) {
      return { resource, holders: [], complete: true };
    }
    const { requests, complete } = await activeRequests(api);
    return { resource, holders: holdersOf(requests, entityRef), complete };
  }, [api, entityRef]);
}
