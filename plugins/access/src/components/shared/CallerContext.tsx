import { useApi } from '@backstage/core-plugin-api';
import { createContext, ReactNode, useContext } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { AccessApi, accessApiRef, Caller } from '../../api';

export interface CallerState {
  caller?: Caller;
  isAdmin: boolean;
  loading: boolean;
  error?: Error;
}

const CallerContext = createContext<CallerState | undefined>(undefined);

/**
 * Whether the caller is an admin: `GET /me` says so when the backend sends `isAdmin`; otherwise
 * the admin-only view of all requests is asked for one row, and a refusal means no.
 */
export async function loadCaller(api: AccessApi): Promise<Caller> {
  const caller = await api.getCaller();
  if (typeof caller.isAdmin === 'boolean') {
    return caller;
  }
  try {
    await api.listRequests({ view: 'all', limit: 1 });
    return { ...caller, isAdmin: true };
  } catch {
    return { ...caller, isAdmin: false };
  }
}

/** Loads the signed-in caller once for everything below. */
export function CallerProvider(props: { children: ReactNode }) {
  const api = useApi(accessApiRef);
  const { value, loading, error } = useAsync(() => loadCaller(api), [api]);
  return (
    <CallerContext.Provider
      value={{
        caller: value,
        isAdmin: Boolean(value?.isAdmin),
        loading,
        error,
      }}
    >
      {props.children}
    </CallerContext.Provider>
  );
}

export function useCaller(): CallerState {
  return (
    useContext(CallerContext) ?? {
      isAdmin: false,
      loading: false,
    }
  );
}
