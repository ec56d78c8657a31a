import { useCallback, useEffect, useRef, useState } from 'react';
import { Page } from '@jit-access/plugin-access-common';

export interface PagedList<T> {
  items: T[];
  /** The first page is loading. */
  loading: boolean;
  /** A further page is loading. */
  loadingMore: boolean;
  error?: Error;
  hasMore: boolean;
  loadMore(): void;
  /** Loads the first page again, keeping what is shown until it arrives. */
  reload(): void;
}

/**
 * A cursor-paginated list: loads the first page, appends pages on `loadMore`, and starts over
 * when `deps` change (the items of before stay until the new first page arrives). A change of `refreshKey` reloads quietly (live updates should not flash a
 * spinner). Answers of outdated loads are dropped.
 */
export function usePagedList<T>(
  fetchPage: (cursor?: string) => Promise<Page<T>>,
  deps: unknown[],
  refreshKey: unknown = 0,
): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const loadFirst = useCallback((quiet: boolean) => {
    const mine = ++generation.current;
    if (!quiet) {
      setLoading(true);
    }
    fetchRef
      .current(undefined)
      .then(page => {
        if (mine !== generation.current) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setError(undefined);
      })
      .catch(e => {
        if (mine !== generation.current) return;
        setError(e);
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, []);

  useEffect(() => {
    // What is shown stays until the new first page replaces it: the rows (and the keyboard
    // focus on one of them) are not torn down and mounted again on every change of a filter.
    loadFirst(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const firstRefresh = useRef(true);
  useEffect(() => {
    if (firstRefresh.current) {
      firstRefresh.current = false;
      return;
    }
    loadFirst(true);
  }, [refreshKey, loadFirst]);

  const loadMore = useCallback(() => {
    // While a first page loads, the cursor still belongs to the list it replaces.
    if (!cursor || loading) return;
    const mine = generation.current;
    setLoadingMore(true);
    fetchRef
      .current(cursor)
      .then(page => {
        if (mine !== generation.current) return;
        setItems(prev => [...prev, ...page.items]);
        setCursor(page.nextCursor);
      })
      .catch(e => {
        if (mine === generation.current) setError(e);
      })
      .finally(() => setLoadingMore(false));
  }, [cursor, loading]);

  const reload = useCallback(() => loadFirst(true), [loadFirst]);

  return {
    items,
    loading,
    loadingMore,
    error,
    hasMore: Boolean(cursor) && !loading,
    loadMore,
    reload,
  };
}
