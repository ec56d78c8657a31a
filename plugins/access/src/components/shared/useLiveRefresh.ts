import { useSignal } from '@backstage/plugin-signals-react';
import {
  ACCESS_SIGNAL_CHANNEL,
  AccessRequestSignal,
} from '@jit-access/plugin-access-common';
import { useEffect, useRef } from 'react';

/** How often to poll when the app has no signals. */
export const POLL_INTERVAL_MS = 30_000;

/**
 * Calls `refresh` whenever a request changes: on each signal when the app has signals, and every
 * POLL_INTERVAL_MS otherwise. Returns whether updates arrive live.
 */
export function useLiveRefresh(
  refresh: (signal?: AccessRequestSignal) => void,
  options: { pollMs?: number; enabled?: boolean } = {},
): { live: boolean } {
  const { pollMs = POLL_INTERVAL_MS, enabled = true } = options;
  const { lastSignal, isSignalsAvailable } = useSignal<AccessRequestSignal>(
    ACCESS_SIGNAL_CHANNEL,
  );
  // The latest callback, so that a new function identity does not restart the timer.
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  useEffect(() => {
    if (enabled && lastSignal) {
      refreshRef.current(lastSignal);
    }
  }, [lastSignal, enabled]);

  useEffect(() => {
    if (!enabled || isSignalsAvailable) {
      return undefined;
    }
    const timer = setInterval(() => refreshRef.current(), pollMs);
    return () => clearInterval(timer);
  }, [enabled, isSignalsAvailable, pollMs]);

  return { live: isSignalsAvailable };
}
