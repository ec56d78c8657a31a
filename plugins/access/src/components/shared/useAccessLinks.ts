import { useRouteRef } from '@backstage/core-plugin-api';
import { rootRouteRef } from '../../routes';

/** Where the access page is mounted when the app does not say (the demo app's path). */
const DEFAULT_ROOT = '/access';

function useRootPath(): string {
  try {
    return useRouteRef(rootRouteRef)();
  } catch {
    // Rendered outside an app that mounts the access page (e.g. a card in another app).
    return DEFAULT_ROOT;
  }
}

export interface AccessLinks {
  root: string;
  request(id: string): string;
  newRequest(options?: { resourceRef?: string }): string;
  requests: string;
  delegated: string;
  approvals: string;
  admin: string;
}

/** Links to the access pages, for links from cards and notifications. */
export function useAccessLinks(): AccessLinks {
  const root = useRootPath().replace(/\/$/, '');
  return {
    root: root || '/',
    request: id => `${root}/requests/${encodeURIComponent(id)}`,
    newRequest: options =>
      options?.resourceRef
        ? `${root}/new?resource=${encodeURIComponent(options.resourceRef)}`
        : `${root}/new`,
    requests: `${root}/requests`,
    delegated: `${root}/delegated`,
    approvals: `${root}/approvals`,
    admin: `${root}/admin`,
  };
}
