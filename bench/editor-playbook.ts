// A large playbook for the editor bench: `steps` steps in one long chain of every kind of step that a person
// configures (waits, emails, tasks, approvals, branches), each outcome connected, positioned in a column so the
// figure measures rendering and validation, not the layout (which the bench times on its own).
export function largePlaybook(key: string, steps: number) {
  const kinds = ['wait', 'email', 'task', 'approval', 'branch'] as const;
  const nodes: Record<string, unknown>[] = [
    { id: 'start', type: 'trigger', label: 'Start', position: { x: 0, y: 0 }, config: {} },
  ];
  const edges: Record<string, unknown>[] = [];
  const link = (source: string, target: string, sourceHandle?: string) =>
    edges.push({ id: `e${edges.length + 1}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
  let previous: { id: string; handles: string[] } = { id: 'start', handles: ['out'] };
  for (let i = 1; i < steps - 1; i++) {
    const kind = kinds[i % kinds.length]!;
    const id = `${kind}${i}`;
    const position = { x: 0, y: i * 170 };
    const config = {
      wait: { kind: 'duration', amount: 1, unit: 'days' },
      email: { template: 'welcome', recipients: 'primaryContact' },
      task: { assignee: 'ownerCsm', kind: 'call', title: `Call ${i}`, dueIn: { amount: 2, unit: 'businessDays' } },
      approval: { kind: 'discount', title: `Discount ${i}`, timeout: { amount: 48, unit: 'hours' } },
      branch: { conditions: [{ handle: 'human', when: { field: 'account.segment', op: 'eq', value: 'high-touch' } }] },
    }[kind];
    nodes.push({ id, type: kind, label: `${kind} ${i}`, position, config });
    for (const handle of previous.handles) link(previous.id, id, previous.handles.length > 1 ? handle : undefined);
    previous = {
      id,
      handles:
        kind === 'approval' ? ['approved', 'rejected', 'timeout'] : kind === 'branch' ? ['human', 'else'] : ['out'],
    };
  }
  nodes.push({ id: 'end', type: 'end', label: 'End', position: { x: 0, y: (steps - 1) * 170 }, config: {} });
  for (const handle of previous.handles) link(previous.id, 'end', previous.handles.length > 1 ? handle : undefined);
  return {
    schemaVersion: 1,
    key,
    name: `Bench: ${steps} steps`,
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'once' },
    nodes,
    edges,
  };
}
