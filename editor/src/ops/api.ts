import type { ReferralLedger } from '../../../engine/referrals/ledger.js';
import type { AccountFieldList } from '../../../engine/accounts/field-list.js';
import type { Approval, InboxView } from '../../../engine/approvals/record.js';
import type { ImportKind, ImportReport } from '../../../engine/accounts/import-report.js';
import type { AccountListItem } from '../../../engine/accounts/list-item.js';
import type {
  Account,
  AccountFieldDeclaration,
  AccountFieldDefinition,
  Contact,
} from '../../../engine/accounts/schema.js';
import type { AuditEntry } from '../../../engine/audit/entry.js';
import type { Dashboard } from '../../../engine/dashboard/schema.js';
import type { CaughtMail, Delivery, DeliveryMessage } from '../../../engine/email/outbox.js';
import type { StoredAccountEvent } from '../../../engine/events/stored.js';
import type { ScorecardPreview } from '../../../engine/health/preview.js';
import type { HealthRecord } from '../../../engine/health/record.js';
import type { Scorecard, ScorecardInput } from '../../../engine/health/scorecard.js';
import type { ApiToken, CreatedApiToken, NewApiToken } from '../../../engine/people/api-token.js';
import type { CsmProfile, CsmProfileInput } from '../../../engine/people/csm-profile.js';
import type { Team } from '../../../engine/people/team.js';
import type { RunDetail, RunListItem } from '../../../engine/runs/summary.js';
import type { CsmTask } from '../../../engine/tasks/task.js';
import type { RenderedEmail } from '../../../engine/templates/rendered.js';
import type { EnrollmentExplanation } from '../../../engine/triggers/explanation.js';
import { api } from '../api/client.js';
import type { ListPage } from './ui/use-paged-list.js';

// The operations pages' calls, on the shell's API client. Every answer's type is the engine's schema the server
// answers with (z.infer), so a change there is a type error here.

/** A query string from filters, leaving out the ones not set. */
export function queryString(filters: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const id = (value: string) => encodeURIComponent(value);

export type Page<T> = { items: T[]; nextCursor: string | null };
/** Filters of a list read a page at a time: `cursor` is the previous page's `nextCursor`. */
type Filters = Record<string, string | undefined>;
export type CaughtMailSummary = Omit<CaughtMail, 'text' | 'html' | 'headers'>;

export const opsApi = {
  accounts: (filters: Record<string, string | undefined>, signal?: AbortSignal) =>
    api.get<Page<AccountListItem>>(`/api/accounts${queryString(filters)}`, signal),
  account: (accountId: string, signal?: AbortSignal) => api.get<Account>(`/api/accounts/${id(accountId)}`, signal),
  referrals: (accountId: string, signal?: AbortSignal) =>
    api.get<ReferralLedger>(`/api/accounts/${id(accountId)}/referrals`, signal),
  health: (accountId: string, limit: number, signal?: AbortSignal) =>
    api.get<{ accountId: string; latest: HealthRecord | null; history: HealthRecord[] }>(
      `/api/accounts/${id(accountId)}/health?limit=${limit}`,
      signal,
    ),
  events: (accountId: string, signal?: AbortSignal) =>
    api.get<{ items: StoredAccountEvent[] }>(`/api/accounts/${id(accountId)}/events?limit=20`, signal),
  contacts: (accountId: string, signal?: AbortSignal) =>
    api.get<{ items: Contact[] }>(`/api/accounts/${id(accountId)}/contacts`, signal),
  enrollment: (accountId: string, playbook: string, signal?: AbortSignal) =>
    api.get<EnrollmentExplanation>(`/api/accounts/${id(accountId)}/enrollment${queryString({ playbook })}`, signal),
  importCsv: (file: Blob, kind: ImportKind, dryRun: boolean) =>
    api.post<ImportReport>(`/api/accounts/import${queryString({ kind, dryRun })}`, file),

  runs: (filters: Filters, signal?: AbortSignal) =>
    api.get<ListPage<RunListItem>>(`/api/runs${queryString(filters)}`, signal),
  run: (workflowId: string, signal?: AbortSignal) => api.get<RunDetail>(`/api/runs/${id(workflowId)}`, signal),

  tasks: (filters: Filters, signal?: AbortSignal) =>
    api.get<ListPage<CsmTask>>(`/api/tasks${queryString(filters)}`, signal),
  setTask: (taskId: string, action: 'complete' | 'dismiss' | 'reopen', note?: string) =>
    api.post<CsmTask>(`/api/tasks/${id(taskId)}/${action}`, action === 'reopen' ? undefined : { note }),

  deliveries: (filters: Filters, signal?: AbortSignal) =>
    api.get<ListPage<Delivery>>(`/api/outbox/deliveries${queryString(filters)}`, signal),
  delivery: (deliveryId: string, signal?: AbortSignal) =>
    api.get<DeliveryMessage>(`/api/outbox/deliveries/${id(deliveryId)}`, signal),
  resend: (deliveryId: string) => api.post<DeliveryMessage>(`/api/outbox/deliveries/${id(deliveryId)}/resend`),
  caughtMail: (to: string | undefined, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<ListPage<CaughtMailSummary>>(`/api/outbox${queryString({ to, limit: 100, cursor })}`, signal),
  caughtMessage: (messageId: string, signal?: AbortSignal) =>
    api.get<CaughtMail>(`/api/outbox/${id(messageId)}`, signal),

  approvals: (filters: Record<string, string | undefined>, signal?: AbortSignal) =>
    api.get<Page<Approval>>(`/api/approvals${queryString(filters)}`, signal),
  approval: (approvalId: string, signal?: AbortSignal) => api.get<Approval>(`/api/approvals/${id(approvalId)}`, signal),
  approvalCounts: (signal?: AbortSignal) =>
    api.get<Record<Exclude<InboxView, 'open'>, number>>('/api/approvals/counts', signal),
  decide: (
    approvalId: string,
    body: { decision: 'approved' | 'rejected'; values?: Record<string, string | number>; reason?: string },
  ) => api.post<Approval>(`/api/approvals/${id(approvalId)}/decision`, body),
  render: (body: { key: string; accountId?: string; variables?: { approval?: Record<string, string | number> } }) =>
    api.post<RenderedEmail>('/api/templates/render', body),

  scorecard: (signal?: AbortSignal) =>
    api.get<{ version: number; definition: Scorecard; createdAt: string }>('/api/scorecard', signal),
  saveScorecard: (card: ScorecardInput) =>
    api.put<{ version: number; rescoreWorkflowId: string | null }>('/api/scorecard', card),
  previewScorecard: (card: ScorecardInput) => api.post<ScorecardPreview>('/api/scorecard/preview', card),

  csms: (signal?: AbortSignal) => api.get<{ items: CsmProfile[] }>('/api/csms', signal),
  saveCsm: (email: string, profile: CsmProfileInput) => api.put<CsmProfile>(`/api/csms/${id(email)}`, profile),

  dashboard: (owner: string | undefined, signal?: AbortSignal) =>
    api.get<Dashboard>(`/api/dashboard${queryString({ owner })}`, signal),
  team: (signal?: AbortSignal) => api.get<Team>('/api/team', signal),

  tokens: (signal?: AbortSignal) => api.get<{ items: ApiToken[] }>('/api/tokens', signal),
  createToken: (input: NewApiToken) => api.post<CreatedApiToken>('/api/tokens', input),
  revokeToken: (tokenId: string) => api.delete<ApiToken>(`/api/tokens/${id(tokenId)}`),

  audit: (filters: Filters, signal?: AbortSignal) =>
    api.get<Page<AuditEntry>>(`/api/audit${queryString(filters)}`, signal),

  accountFields: (signal?: AbortSignal) => api.get<AccountFieldList>('/api/account-fields', signal),
  declareField: (field: AccountFieldDeclaration) => api.post<AccountFieldDefinition>('/api/account-fields', field),
};
