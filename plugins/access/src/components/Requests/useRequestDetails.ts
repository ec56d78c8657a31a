import { useApi } from '@backstage/core-plugin-api';
import { AccessRequestDetails } from '@jit-access/plugin-access-common';
import { useCallback, useEffect, useState } from 'react';
import { accessApiRef } from '../../api';
import { useLiveRefresh } from '../shared/useLiveRefresh';

/** One request with its audit trail, reloaded when a signal names it (or by polling). */
export function useRequestDetails(id: string) {
  const api = useApi(accessApiRef);
  const [value, setValue] = useState<AccessRequestDetails>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);

  const load = useCallback(() => {
    let current = true;
    api
      .getRequest(id)
      .then(details => {
        if (!current) return;
        setValue(details);
        setError(undefined);
      })
      .catch(e => current && setError(e))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, id]);

  useEffect(() => {
    setLoading(true);
    setValue(undefined);
    return load();
  }, [load]);

  const { live } = useLiveRefresh(signal => {
    if (!signal || signal.requestId === id) {
      load();
    }
  });

  return { value, error, loading, reload: load, live };
}
