import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A page's filters in its address (`?riskLevel=high&owner=…`): a filtered list can be linked to, reloaded and
 * gone back to, and the dashboard's numbers link straight to the lists behind them.
 */
export function useFilters<K extends string>(names: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(
    () =>
      Object.fromEntries(names.map((name) => [name, params.get(name) ?? undefined])) as Record<K, string | undefined>,
    // `names` is a constant of the page: the filters change only with the address.
    [params],
  );
  const setFilters = useCallback(
    (next: Partial<Record<K, string | undefined>>) => {
      setParams((current) => {
        const updated = new URLSearchParams(current);
        for (const [name, value] of Object.entries(next) as [K, string | undefined][]) {
          if (value === undefined || value === '') updated.delete(name);
          else updated.set(name, value);
        }
        return updated;
      });
    },
    [setParams],
  );
  return [filters, setFilters] as const;
}
