import type { TimelineEntry } from '../../../engine/interpreter/types.js';
import { api } from './client.js';

export interface RunSummary {
  workflowId: string;
  runId: string;
  playbook: string | null;
  version: number | null;
  account: string | null;
  node: string | null;
  status: string;
  startedAt: string;
  closedAt: string | null;
}
export interface RunDetail extends RunSummary {
  position: { nodeId: string; waiting?: { kind: string; until: string; detail: string } } | null;
  timeline: TimelineEntry[];
  temporalUiUrl: string | null;
}
export interface BulkResult {
  workflowId: string;
  ok: boolean;
  error: string | null;
}

/** Statuses of a run that still stands somewhere in its playbook. */
export const OPEN_STATUSES = ['running', 'waiting-timer', 'waiting-event', 'waiting-approval'] as const;

export const runsApi = {
  list: (filters: { playbook?: string; node?: string; status?: string; limit?: number }, signal?: AbortSignal) => {
    const query = new URLSearchParams(
      Object.entries(filters).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
    );
    return api.get<{ items: RunSummary[] }>(`/api/runs?${query.toString()}`, signal);
  },
  detail: (workflowId: string, signal?: AbortSignal) =>
    api.get<RunDetail>(`/api/runs/${encodeURIComponent(workflowId)}`, signal),
  bulk: (action: 'cancel' | 'skipWait', workflowIds: string[]) =>
    api.post<{ results: BulkResult[] }>('/api/runs/bulk', { action, workflowIds }),
};
