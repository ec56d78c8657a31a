import { useApi } from '@backstage/core-plugin-api';
import { AccessResource } from '@jit-access/plugin-access-common';
import useAsync from 'react-use/esm/useAsync';
import { accessApiRef } from '../../api';

/** How many resources to read to learn the filter choices. */
const FACET_SCAN_LIMIT = 2000;

export interface ResourceFacets {
  integrations: string[];
  types: string[];
  permissions: string[];
  /** Types per integration, for "by app". */
  typesByIntegration: Record<string, string[]>;
  loading: boolean;
  error?: Error;
}

const sorted = (values: Iterable<string>) => Array.from(new Set(values)).sort();

export function facetsOf(
  resources: AccessResource[],
): Omit<ResourceFacets, 'loading' | 'error'> {
  const byIntegration: Record<string, Set<string>> = {};
  for (const r of resources) {
    (byIntegration[r.integration] ??= new Set()).add(r.type);
  }
  return {
    integrations: sorted(resources.map(r => r.integration)),
    types: sorted(resources.map(r => r.type)),
    permissions: sorted(resources.flatMap(r => r.permissions)),
    typesByIntegration: Object.fromEntries(
      Object.entries(byIntegration).map(([k, v]) => [k, sorted(v)]),
    ),
  };
}

/**
 * The integrations, types and permissions there are to filter by. The API has no route for
 * these, so they are read off the resources themselves (up to FACET_SCAN_LIMIT).
 */
export function useResourceFacets(): ResourceFacets {
  const api = useApi(accessApiRef);
  const { value, loading, error } = useAsync(async () => {
    const all: AccessResource[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.listResources({ cursor, limit: 500 });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && all.length < FACET_SCAN_LIMIT);
    return facetsOf(all);
  }, [api]);
  return {
    integrations: value?.integrations ?? [],
    types: value?.types ?? [],
    permissions: value?.permissions ?? [],
    typesByIntegration: value?.typesByIntegration ?? {},
    loading,
    error,
  };
}
