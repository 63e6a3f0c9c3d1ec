import { ErrorMessage } from '../../ui/states.js';
import type { PagedList } from './use-paged-list.js';

/**
 * Under a paged list: how many rows are shown and, when the API says there are more, a "Load more" button that
 * appends the next page (a real button, so Tab and Enter reach it). Without a `nextCursor` there is no button.
 */
export function LoadMore<T>({ list, what, one }: { list: PagedList<T>; what: string; one?: string }) {
  if (list.state.status !== 'ready') return null;
  const { items, nextCursor } = list.state.data;
  // "1 run shown", not "1 runs": `one` where dropping the s is not the singular ("entries").
  const noun = items.length === 1 ? (one ?? what.replace(/s$/, '')) : what;
  return (
    <div className="pager">
      <span className="muted" role="status" aria-live="polite">
        {list.loadingMore
          ? `Loading more ${what}…`
          : `${items.length.toLocaleString()} ${noun} shown${nextCursor ? '; there are more' : ''}`}
      </span>
      {nextCursor && (
        <button type="button" onClick={list.loadMore} disabled={list.loadingMore}>
          Load more {what}
        </button>
      )}
      {list.moreError !== undefined && <ErrorMessage error={list.moreError} onRetry={list.loadMore} />}
    </div>
  );
}
