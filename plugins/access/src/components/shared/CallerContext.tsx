import { useApi } from '@backstage/core-plugin-api';
import { createContext, ReactNode, useContext } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { accessApiRef, Caller } from '../../api';

export interface CallerState {
  caller?: Caller;
  isAdmin: boolean;
  loading: boolean;
  error?: Error;
}

const CallerContext = createContext<CallerState | undefined>(undefined);

/** Loads the signed-in caller once for everything below. */
export function CallerProvider(props: { children: ReactNode }) {
  const api = useApi(accessApiRef);
  const { value, loading, error } = useAsync(() => api.getCaller(), [api]);
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
