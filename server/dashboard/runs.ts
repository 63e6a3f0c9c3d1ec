import { sql } from 'kysely';
import { DASHBOARD_RUN_STATUSES, type Dashboard } from '../../engine/dashboard/schema.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { nodeAttribute } from '../../engine/search-attributes.js';
import type { AppContext } from '../context.js';
import { countRuns, eachRun } from '../playbooks/run-search.js';
import type { PlaybookRecord } from '../playbooks/store.js';
import { ownedBy } from './owner.js';
import { RECORDED_STEP_TYPES } from '../../engine/runs/recorded-steps.js';

// Runs per playbook and the funnel of each published playbook. Every count is Temporal's count of the same
// visibility query the runs list runs for those filters (server/playbooks/run-search.ts), so the number and the
// list behind it cannot disagree.

type Ctx = Pick<AppContext, 'temporal' | 'database'>;

// Step types whose doing leaves a record in the run's step log (run_steps): their `reached` is known.

export async function runFigures(
  ctx: Ctx,
  playbooks: PlaybookRecord[],
  owner: string | undefined,
): Promise<Dashboard['runs']> {
  return Promise.all(
    playbooks.map(async (playbook) => {
      const counts = await Promise.all(
        DASHBOARD_RUN_STATUSES.map(async (status) => [
          status,
          await countRuns(ctx, { playbook: playbook.key, status, owner }),
        ]),
      );
      return {
        key: playbook.key,
        name: playbook.name,
        archived: playbook.archivedAt !== null,
        byStatus: Object.fromEntries(counts),
      };
    }),
  );
}

/** The steps of a version in the order a run meets them: breadth first from the start, outcomes in their order. */
export function stepsInOrder(ir: Pick<CompiledPlaybook, 'startNodeId' | 'nodes' | 'next'>): string[] {
  const order: string[] = [];
  const seen = new Set<string>([ir.startNodeId]);
  const queue = [ir.startNodeId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const next of Object.values(ir.next[id] ?? {})) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return order;
}

/** How many runs did each recorded step, by workflow id: `GET /api/runs?playbook=&reached=` counts the same. */
async function reachedBy(ctx: Ctx, playbookKey: string, owner: string | undefined): Promise<Map<string, number>> {
  const rows = await ctx.database.db
    .selectFrom('run_steps')
    .select(['node_id', (eb) => eb.fn.count<number>('workflow_id').distinct().as('runs')])
    .where('workflow_id', 'like', `playbook:${playbookKey}:account:%`)
    .$if(owner !== undefined, (q) =>
      q.where(
        sql<boolean>`split_part(workflow_id, ':', 4) in (select id::text from accounts where ${ownedBy(owner!)})`,
      ),
    )
    .groupBy('node_id')
    .execute();
  return new Map(rows.map((row) => [row.node_id, Number(row.runs)]));
}

export async function funnelOf(
  ctx: Ctx,
  playbook: PlaybookRecord,
  ir: CompiledPlaybook,
  owner: string | undefined,
): Promise<Dashboard['funnels'][number]> {
  const [started, reached, here] = await Promise.all([
    countRuns(ctx, { playbook: playbook.key, owner }),
    reachedBy(ctx, playbook.key, owner),
    (async () => {
      // Where the open runs stand now, whatever their version (node ids of one playbook keep their meaning).
      const byNode = new Map<string, number>();
      for await (const info of eachRun(ctx, { playbook: playbook.key, status: 'running', owner })) {
        const node = info.typedSearchAttributes.get(nodeAttribute);
        if (node) byNode.set(node, (byNode.get(node) ?? 0) + 1);
      }
      return byNode;
    })(),
  ]);
  return {
    key: playbook.key,
    name: playbook.name,
    version: ir.version,
    started,
    steps: stepsInOrder(ir)
      .map((id) => ir.nodes[id]!)
      .filter((node) => node.type !== 'end')
      .map((node) => ({
        nodeId: node.id,
        label: node.label,
        type: node.type,
        reached: RECORDED_STEP_TYPES.has(node.type) ? (reached.get(node.id) ?? 0) : null,
        here: here.get(node.id) ?? 0,
      })),
  };
}
