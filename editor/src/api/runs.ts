import type { TimelineEntry } from '../../../engine/interpreter/types.js';
import type { RunDetail as RunDetailSchema, RunListItem, RunSummary } from '../../../engine/runs/summary.js';
import { api } from './client.js';

// The runs API as the canvas's overlay and the runs pages call it. The shapes are the engine's (the schemas the
// server answers with), so a change there is a type error here.

export type { RunListItem, RunSummary };
/** A run's detail; its step log's entries are the interpreter's own (the schema says only that a kind is text). */
export type RunDetail = Omit<RunDetailSchema, 'timeline'> & { timeline: TimelineEntry[] };

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
    return api.get<{ items: RunListItem[]; nextCursor?: string | null }>(`/api/runs?${query.toString()}`, signal);
  },
  detail: (workflowId: string, signal?: AbortSignal) =>
    api.get<RunDetail>(`/api/runs/${encodeURIComponent(workflowId)}`, signal),
  bulk: (action: 'cancel' | 'skipWait', workflowIds: string[]) =>
    api.post<{ results: BulkResult[] }>('/api/runs/bulk', { action, workflowIds }),
};
