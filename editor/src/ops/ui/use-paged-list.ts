import { useCallback, useEffect, useRef, useState } from 'react';
import type { AsyncState } from '../../ui/use-async.js';

/** One page of a list, as the API answers it: `nextCursor` when there is more (older routes do not say). */
export interface ListPage<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface PagedList<T> {
  /** The first page's state, then every page loaded so far in order. */
  state: AsyncState<{ items: T[]; nextCursor: string | null }> & { reload: () => void };
  /** Appends the next page; does nothing when there is none or one is loading. */
  loadMore: () => void;
  loadingMore: boolean;
  moreError: unknown;
}

/**
 * A list read a page at a time with the API's cursor (`?cursor=` the previous page's `nextCursor`). A change of
 * `deps` (the filters) starts again from the first page, showing "loading"; `reload` (after an action) too, keeping
 * the rows on screen until the answer comes; "Load more" appends the next one, so the rows
 * a person is looking at stay where they are. A route that gives no `nextCursor` is one page.
 */
export function usePagedList<T>(
  load: (cursor: string | undefined, signal: AbortSignal) => Promise<ListPage<T>>,
  deps: readonly unknown[],
): PagedList<T> {
  const [state, setState] = useState<AsyncState<{ items: T[]; nextCursor: string | null }>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const latest = useRef(load);
  latest.current = load;
  // The first page's abort controller: a later "more" answer for filters since changed is dropped with it.
  const current = useRef<AbortController | undefined>(undefined);
  const loadedGeneration = useRef(generation);
  useEffect(() => {
    const controller = new AbortController();
    current.current = controller;
    // New filters: the rows of the old ones are not these, so say it is loading. A reload keeps them meanwhile.
    if (loadedGeneration.current === generation) setState({ status: 'loading' });
    loadedGeneration.current = generation;
    setMoreError(undefined);
    setLoadingMore(false);
    latest.current(undefined, controller.signal).then(
      (page) => {
        if (!controller.signal.aborted) {
          setState({ status: 'ready', data: { items: page.items, nextCursor: page.nextCursor ?? null } });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);
  const cursor = state.status === 'ready' ? state.data.nextCursor : null;
  const loadMore = useCallback(() => {
    const controller = current.current;
    if (!cursor || loadingMore || !controller) return;
    setLoadingMore(true);
    setMoreError(undefined);
    latest.current(cursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setState((before) =>
          before.status === 'ready'
            ? {
                status: 'ready',
                data: { items: [...before.data.items, ...page.items], nextCursor: page.nextCursor ?? null },
              }
            : before,
        );
        setLoadingMore(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setMoreError(error);
        setLoadingMore(false);
      },
    );
  }, [cursor, loadingMore]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state: { ...state, reload }, loadMore, loadingMore, moreError };
}
