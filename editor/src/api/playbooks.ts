import type { Issue } from '../../../engine/errors.js';
import type {
  MigrationPlan,
  MigrationProgress,
  MigrationRequest,
  MigrationStarted,
} from '../../../engine/playbook/migration-request.js';
import { api, getAllPages } from './client.js';

// Shapes of the playbook API's answers (the OpenAPI document at /api/openapi.json is their truth).

export interface PlaybookSummary {
  id: string;
  key: string;
  name: string;
  currentVersion: number | null;
  updatedAt: string;
  archivedAt: string | null;
}
/** A row of GET /api/playbooks: what enrolls it, from its current version's triggers (empty while unpublished). */
export interface PlaybookListItem extends PlaybookSummary {
  enrolledBy: string[];
}
export interface StoredPlaybook extends PlaybookSummary {
  /** The definition as last saved: possibly unfinished, so unknown until read. */
  draft: unknown;
}
export interface PlaybookWithIssues {
  playbook: StoredPlaybook;
  issues: Issue[];
}
export interface PublishedVersion {
  version: number;
  checksum: string;
  publishedAt: string;
  /** A person's email or `token '<name>'`; null for the shipped seeds. */
  publishedBy: string | null;
  note: string | null;
}
export interface VersionDetail extends PublishedVersion {
  /** The definition as it was published, positions included. */
  definition: unknown;
}
export interface Published {
  version: number;
  checksum: string;
  /** True when the draft was the current version already: nothing was published, and the note was not kept. */
  unchanged: boolean;
}
export interface Impact {
  version: number | null;
  inFlight: number;
  byNode: Record<string, number>;
}

/** What the editor asks: `nodeMap` holds only the steps mapped by hand. */
export type MigrationAsk = Partial<MigrationRequest> & Pick<MigrationRequest, 'from'>;
export type { MigrationPlan, MigrationProgress, MigrationStarted };

const at = (key: string) => `/api/playbooks/${encodeURIComponent(key)}`;

export const playbooksApi = {
  list: (signal?: AbortSignal) => getAllPages<PlaybookListItem>('/api/playbooks', signal),
  get: (key: string, signal?: AbortSignal) => api.get<PlaybookWithIssues>(at(key), signal),
  create: (definition: unknown) => api.post<PlaybookWithIssues>('/api/playbooks', { definition }),
  save: (key: string, definition: unknown) => api.put<PlaybookWithIssues>(at(key), { definition }),
  publish: (key: string, note?: string) => api.post<Published>(`${at(key)}/publish`, note ? { note } : {}),
  versions: (key: string, signal?: AbortSignal) => getAllPages<PublishedVersion>(`${at(key)}/versions`, signal),
  version: (key: string, version: number, signal?: AbortSignal) =>
    api.get<VersionDetail>(`${at(key)}/versions/${version}`, signal),
  impact: (key: string, signal?: AbortSignal) => api.get<Impact>(`${at(key)}/impact`, signal),
  archive: (key: string) => api.post<PlaybookSummary>(`${at(key)}/archive`),
  unarchive: (key: string) => api.post<PlaybookSummary>(`${at(key)}/unarchive`),
  migrationPlan: (key: string, request: MigrationAsk) =>
    api.post<MigrationPlan>(`${at(key)}/migrations/dry-run`, request),
  migrate: (key: string, request: MigrationAsk) => api.post<MigrationStarted>(`${at(key)}/migrations`, request),
  migration: (key: string, migrationId: string, signal?: AbortSignal) =>
    api.get<MigrationProgress>(`${at(key)}/migrations/${migrationId}`, signal),
};
