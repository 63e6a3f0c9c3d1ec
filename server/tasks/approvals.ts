import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { positionQuery, type RunPosition } from '../../engine/workflows/playbook-signals.js';
import { storedAccount } from '../accounts/store.js';
import type { AppContext } from '../context.js';
import { listRuns } from '../playbooks/runs.js';
import { compiledVersion, findPlaybook } from '../playbooks/store.js';

export interface ApprovalFilters {
  /** The account's owner CSM (any case): "what waits on me". */
  owner?: string;
  playbook?: string;
  account?: string;
  limit: number;
}

export interface WaitingApproval {
  workflowId: string;
  runId: string;
  nodeId: string;
  kind: string;
  title: string;
  details: string;
  until: string;
  account: { id: string | null; name: string | null; ownerCsmEmail: string | null };
  playbook: { key: string | null; name: string | null; version: number | null };
  decide: { method: 'POST'; url: string };
}

/**
 * Runs waiting at an approval step, the soonest to time out first. Visibility finds them (status
 * waiting-approval); each run's position query confirms the step it stands on now, and its pinned version says
 * what the step asks (kind, title, details) — so a decision made a moment ago drops the run from the list.
 */
export async function waitingApprovals(ctx: AppContext, filters: ApprovalFilters): Promise<WaitingApproval[]> {
  const db = ctx.database.db;
  const runs = await listRuns(
    ctx,
    { status: 'waiting-approval', playbook: filters.playbook, account: filters.account },
    Math.max(filters.limit * 2, 100),
  );
  const versions = new Map<string, Promise<CompiledPlaybook | undefined>>();
  const versionOf = (key: string, version: number) => {
    const id = `${key}@${version}`;
    if (!versions.has(id)) {
      versions.set(
        id,
        findPlaybook(db, key)
          .then((playbook) => compiledVersion(db, playbook, version))
          .catch(() => undefined),
      );
    }
    return versions.get(id)!;
  };
  const found = await Promise.all(
    runs
      // A run closed while waiting keeps its last status attribute; only running ones still wait.
      .filter((run) => run.status === 'waiting-approval')
      .map(async (run): Promise<WaitingApproval | undefined> => {
        let position: RunPosition;
        try {
          position = await ctx.temporal.workflow.getHandle(run.workflowId, run.runId).query(positionQuery);
        } catch {
          // Closed or gone since it was listed: it waits on no one any more.
          return undefined;
        }
        if (position.waiting?.kind !== 'approval') return undefined;
        const ir = run.playbook && run.version !== null ? await versionOf(run.playbook, run.version) : undefined;
        const node = ir?.nodes[position.nodeId];
        const step = node?.type === 'approval' ? node.config : undefined;
        const account = await storedAccount(db, run.account ?? undefined);
        if (filters.owner && account?.ownerCsmEmail?.toLowerCase() !== filters.owner.toLowerCase()) return undefined;
        return {
          workflowId: run.workflowId,
          runId: run.runId,
          nodeId: position.nodeId,
          kind: step?.kind ?? 'message',
          title: step?.title ?? position.waiting.detail,
          details: step?.details ?? '',
          until: position.waiting.until,
          account: { id: run.account, name: account?.name ?? null, ownerCsmEmail: account?.ownerCsmEmail ?? null },
          playbook: { key: run.playbook, name: ir?.name ?? null, version: run.version },
          decide: { method: 'POST', url: `/api/runs/${encodeURIComponent(run.workflowId)}/approval` },
        };
      }),
  );
  return found
    .filter((item): item is WaitingApproval => item !== undefined)
    .sort((a, b) => a.until.localeCompare(b.until))
    .slice(0, filters.limit);
}
