import type { ReactNode } from 'react';
import { Empty, ErrorMessage, Loading } from '../../ui/states.js';
import type { AsyncState } from '../../ui/use-async.js';

/**
 * The shell's loading, error and empty states around a piece of a page, so every list and panel of the operations
 * pages says what is happening the same way: loading…, what went wrong (with Try again), or that there is nothing.
 */
export function AsyncView<T>({
  state,
  what,
  isEmpty,
  empty,
  children,
}: {
  state: AsyncState<T> & { reload: () => void };
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (state.status === 'loading') return <Loading what={what} />;
  if (state.status === 'error') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  if (isEmpty?.(state.data)) return <>{empty ?? <Empty title={`No ${what}`} />}</>;
  return <>{children(state.data)}</>;
}
