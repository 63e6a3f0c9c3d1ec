import { compilePlaybook } from '../engine/playbook/compile.js';
import { median, note, report, startBench } from './measure.js';

// The editor validates on every debounced edit and the API compiles on save and publish, so compile time must grow
// with the playbook, not faster. Each size is compiled until ~300 ms have passed and the median taken; the
// linearity figure compares the cost per node at each size with the cost per node at 100 nodes, same run.

/** A chain of `count` steps as a person draws them: waits, tasks, emails, and a branch every tenth step. */
export function chainPlaybook(count: number): unknown {
  const nodes: unknown[] = [{ id: 'n0', type: 'trigger', label: 'Start', position: { x: 0, y: 0 }, config: {} }];
  const edges: unknown[] = [];
  for (let i = 1; i < count - 1; i++) {
    const id = `n${i}`;
    const position = { x: 0, y: i * 130 };
    if (i % 10 === 5) {
      nodes.push({
        id,
        type: 'branch',
        label: `Segment ${i}`,
        position,
        config: { conditions: [{ handle: 'high', when: { field: 'account.segment', op: 'eq', value: 'high-touch' } }] },
      });
      edges.push({ id: `e${i}h`, source: id, sourceHandle: 'high', target: `n${i + 1}` });
      edges.push({ id: `e${i}`, source: id, sourceHandle: 'else', target: `n${i + 1}` });
      continue;
    }
    const kind = i % 3;
    nodes.push(
      kind === 0
        ? { id, type: 'wait', label: `Wait ${i}`, position, config: { kind: 'duration', amount: 1, unit: 'days' } }
        : kind === 1
          ? {
              id,
              type: 'task',
              label: `Call ${i}`,
              position,
              config: { assignee: 'ownerCsm', kind: 'call', title: `Call ${i}`, dueIn: { amount: 1, unit: 'days' } },
            }
          : {
              id,
              type: 'email',
              label: `Email ${i}`,
              position,
              config: { template: 'welcome', recipients: 'primaryContact', sendWindow: 'immediate' },
            },
    );
    edges.push({ id: `e${i}`, source: id, target: `n${i + 1}` });
  }
  nodes.push({ id: `n${count - 1}`, type: 'end', label: 'Done', position: { x: 0, y: count * 130 }, config: {} });
  edges.unshift({ id: 'e0', source: 'n0', target: 'n1' });
  return {
    schemaVersion: 1,
    key: `bench-${count}`,
    name: `Bench ${count} steps`,
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'once' },
    nodes,
    edges,
  };
}

/**
 * Median compile time of each definition, measured in alternating rounds (every size once per round, for about
 * 3 s): other work on the machine then slows every size alike instead of whichever size ran during it.
 */
function compileTimes(definitions: Map<number, unknown>): Map<number, { ms: number; ok: boolean; issues: string[] }> {
  const samples = new Map<number, number[]>([...definitions.keys()].map((n) => [n, []]));
  const until = performance.now() + 3_000;
  for (let round = 0; round < 5 || (performance.now() < until && round < 500); round++) {
    for (const [n, definition] of definitions) {
      // Small playbooks take microseconds: time several per sample so the clock's resolution does not dominate.
      const repeat = Math.max(1, Math.floor(1_000 / n));
      const t0 = performance.now();
      for (let i = 0; i < repeat; i++) compilePlaybook(definition);
      samples.get(n)!.push((performance.now() - t0) / repeat);
    }
  }
  return new Map(
    [...definitions].map(([n, definition]) => {
      const result = compilePlaybook(definition);
      const issues = result.ok ? [] : [...new Set(result.issues.map((i) => i.message))].slice(0, 2);
      return [n, { ms: median(samples.get(n)!), ok: result.ok, issues }];
    }),
  );
}

export function benchCompileScale(): Promise<void> {
  startBench('compile', 'compile time by playbook size (alternating rounds; per-node cost against 100 nodes)');
  const sizes = [10, 100, 500, 1_000, 10_000];
  const results = compileTimes(new Map(sizes.map((n) => [n, chainPlaybook(n)])));
  const perNode100 = results.get(100)!.ms / 100;
  for (const n of sizes) {
    const r = results.get(n)!;
    if (!r.ok) note(`${n} nodes: refused, as the schema says (${r.issues.join('; ')}); timed to the refusal`);
    if (n === 100) continue;
    report(`compile ${n.toLocaleString('en')} nodes, per node`, '100-node cost per node', perNode100, r.ms / n, {
      target:
        n >= 500 ? { text: 'about linear: ≤ 2× the per-node cost at 100', met: (ratio) => ratio <= 2 } : undefined,
      note: `${r.ms.toFixed(2)} ms for the playbook${r.ok ? '' : ' (a refusal: over the 500-step limit)'}`,
    });
  }
  // The schema caps a playbook at 500 steps, so no 1,000-step playbook compiles: the budget is checked on both
  // halves of what such a compile would be — the largest accepted playbook, and answering the 1,000-step one.
  report('compile 500 nodes (largest accepted), absolute', '25 ms (half the budget)', 25, results.get(500)!.ms, {
    target: { text: '≤ 1× (so 1,000 nodes would stay under 50 ms)', met: (ratio) => ratio <= 1 },
  });
  report('answer a 1,000-node playbook (refused), absolute', '50 ms budget', 50, results.get(1_000)!.ms, {
    target: { text: 'well under 50 ms (≤ 0.5×)', met: (ratio) => ratio <= 0.5 },
  });
  return Promise.resolve();
}
