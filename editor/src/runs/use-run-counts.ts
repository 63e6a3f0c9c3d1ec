import { useEffect, useState } from 'react';
import { OPEN_STATUSES, runsApi } from '../api/runs.js';

const POLL_MS = 5000;
const OPEN = new Set<string>(OPEN_STATUSES);

export interface RunCounts {
  byNode: ReadonlyMap<string, number>;
  total: number;
  error?: unknown;
}

/**
 * How many accounts stand at each step of the playbook now, from the runs API (Temporal visibility), refreshed
 * every few seconds while the overlay is on. Kept beside the draft, never in it.
 */
export function useRunCounts(playbookKey: string, enabled: boolean): RunCounts | undefined {
  const [counts, setCounts] = useState<RunCounts>();
  useEffect(() => {
    if (!enabled) {
      setCounts(undefined);
      return;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const { items } = await runsApi.list({ playbook: playbookKey, limit: 1000 }, controller.signal);
        const byNode = new Map<string, number>();
        let total = 0;
        for (const run of items) {
          if (!OPEN.has(run.status) || run.node === null) continue;
          byNode.set(run.node, (byNode.get(run.node) ?? 0) + 1);
          total++;
        }
        setCounts({ byNode, total });
      } catch (error) {
        if (controller.signal.aborted) return;
        setCounts((previous) => ({ byNode: previous?.byNode ?? new Map(), total: previous?.total ?? 0, error }));
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void load(), POLL_MS);
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [playbookKey, enabled]);
  return counts;
}
