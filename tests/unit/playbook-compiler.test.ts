import { describe, expect, it } from 'vitest';
import { compilePlaybook, type CompileResult } from '../../engine/playbook/compile.js';
import type { CompileContext } from '../../engine/playbook/ir.js';
import { handlesOf, PlaybookNode } from '../../engine/playbook/nodes.js';
import type { Issue } from '../../engine/errors.js';
import { everyStepType as onboarding, type Draft } from '../support/sample-playbooks.js';

const context: CompileContext = {
  templates: {
    welcome: { variables: ['account.plan', 'contact.first_name'] },
    'day4-check-in': {},
  },
  accountFields: { seats: 'number', championName: 'string' },
};

function issuesOf(result: CompileResult): Issue[] {
  if (result.ok) throw new Error('expected the playbook not to compile');
  return result.issues;
}

function withCode(result: CompileResult, code: string): Issue[] {
  return issuesOf(result).filter((issue) => issue.code === code);
}

function node(playbook: Draft, id: string) {
  const found = playbook.nodes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

function without<T extends { id: string }>(items: T[], id: string): T[] {
  return items.filter((item) => item.id !== id);
}

describe('compilePlaybook: a valid playbook', () => {
  it('compiles a playbook with every step type, and its next map follows the edges and handles', () => {
    const result = compilePlaybook(onboarding(), context);
    if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
    const ir = result.playbook;
    expect(ir).toMatchObject({ irVersion: 1, key: 'onboarding-30d', version: 0, startNodeId: 'start' });
    expect(new Set(Object.values(ir.nodes).map((step) => step.type))).toEqual(
      new Set([
        'trigger',
        'wait',
        'email',
        'task',
        'approval',
        'branch',
        'waitForEvent',
        'split',
        'updateField',
        'webhook',
        'notify',
        'goal',
        'end',
      ]),
    );
    expect(ir.next).toEqual({
      ab: { A: 'untilRenewal', B: 'nextMonday' },
      awaitValue: { received: 'reachedValue', timeout: 'day4' },
      bySegment: { else: 'awaitValue', highTouch: 'offer' },
      crm: { out: 'reachedValue' },
      day4: { out: 'ab' },
      done: {},
      markStage: { out: 'done' },
      nextMonday: { out: 'markStage' },
      notifyCsm: { out: 'done' },
      offer: { approved: 'crm', rejected: 'notifyCsm', timeout: 'notifyCsm' },
      reachedValue: { out: 'done' },
      setup: { out: 'wait2d' },
      start: { out: 'welcome' },
      untilRenewal: { out: 'markStage' },
      wait2d: { out: 'bySegment' },
      welcome: { out: 'setup' },
    });
  });

  it('fills defaults, drops editor-only positions and yields plain JSON', () => {
    const result = compilePlaybook(onboarding(), context);
    if (!result.ok) throw new Error('expected ok');
    const ir = result.playbook;
    expect(ir.nodes.welcome).toMatchObject({ config: { sendWindow: 'default' } });
    expect(ir.nodes.start).not.toHaveProperty('position');
    expect(ir.exit).toHaveLength(1);
    expect(JSON.parse(JSON.stringify(ir))).toEqual(ir);
  });

  it('gives the same checksum whatever the key order or canvas positions, and a new one when the meaning changes', () => {
    const compiled = (playbook: unknown) => {
      const result = compilePlaybook(playbook, context);
      if (!result.ok) throw new Error('expected ok');
      return result.playbook.checksum;
    };
    const original = onboarding();
    const reordered = Object.fromEntries(Object.entries(onboarding()).reverse()) as Draft;
    node(reordered, 'start').position = { x: 500, y: 90 };
    expect(compiled(reordered)).toBe(compiled(original));
    expect(compiled(original)).toMatch(/^[0-9a-f]{16}$/);

    const changed = onboarding();
    node(changed, 'wait2d').config.amount = 3;
    expect(compiled(changed)).not.toBe(compiled(original));
  });

  it('accepts a loop that contains a wait (a weekly check-in)', () => {
    const playbook = onboarding();
    playbook.edges = playbook.edges.map((edge) => (edge.id === 'e19' ? { ...edge, target: 'wait2d' } : edge));
    expect(compilePlaybook(playbook, context).ok).toBe(true);
  });

  it('does not check template keys when the context lists no templates', () => {
    const playbook = onboarding();
    node(playbook, 'welcome').config.template = 'not-in-any-list';
    expect(compilePlaybook(playbook, { accountFields: context.accountFields }).ok).toBe(true);
  });
});

describe('compilePlaybook: each check reports the node, the path and a readable message', () => {
  it('maps schema problems to the node by its index (a zero wait is impossible)', () => {
    const playbook = onboarding();
    node(playbook, 'wait2d').config.amount = 0;
    const [issue] = issuesOf(compilePlaybook(playbook, context));
    expect(issue).toMatchObject({ nodeId: 'wait2d', path: 'nodes[3].config.amount' });
    expect(issue?.message).toBe("Step 'Wait 2 days': amount must be at least 1");
  });

  it('says what is missing or mistyped in a step, and which unknown setting it has', () => {
    const playbook = onboarding();
    delete node(playbook, 'offer').config.timeout;
    node(playbook, 'setup').config.dueInn = { amount: 1, unit: 'days' };
    node(playbook, 'crm').config.url = 'http://crm.example.com/hook';
    const issues = issuesOf(compilePlaybook(playbook, context));
    expect(issues).toContainEqual(
      expect.objectContaining({
        nodeId: 'offer',
        path: 'nodes[5].config.timeout',
        message: "Step 'Offer discount': timeout is missing",
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ nodeId: 'setup', message: "Step 'Setup session' has unknown setting 'dueInn'" }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        nodeId: 'crm',
        path: 'nodes[6].config.url',
        message: expect.stringContaining('https://'),
      }),
    );
  });

  it('reports a condition mistake inside a branch at its exact path, not as a vague union error', () => {
    const playbook = onboarding();
    node(playbook, 'bySegment').config.conditions = [
      { handle: 'highTouch', when: { all: [{ field: 'account.segment', op: 'equals', value: 'high-touch' }] } },
    ];
    const issues = issuesOf(compilePlaybook(playbook, context));
    expect(issues).toContainEqual(
      expect.objectContaining({
        nodeId: 'bySegment',
        path: 'nodes[4].config.conditions[0].when.all[0].op',
        message: expect.stringContaining("one of 'eq'"),
      }),
    );
  });

  it('reports an unknown step type with the node id', () => {
    const playbook = onboarding();
    node(playbook, 'notifyCsm').type = 'sms';
    const issues = issuesOf(compilePlaybook(playbook, context));
    expect(issues).toContainEqual(
      expect.objectContaining({
        nodeId: 'notifyCsm',
        path: 'nodes[7].type',
        message: expect.stringContaining('must be a step of type'),
      }),
    );
  });

  it('requires a start step', () => {
    const playbook = onboarding();
    playbook.nodes = without(playbook.nodes, 'start');
    playbook.edges = without(playbook.edges, 'e1');
    const [issue] = withCode(compilePlaybook(playbook, context), 'missing_start');
    expect(issue).toMatchObject({ path: 'nodes', message: expect.stringContaining('no start step') });
  });

  it('allows only one start step', () => {
    const playbook = onboarding();
    playbook.nodes.push({ id: 'start2', type: 'trigger', label: 'Second start', config: {} });
    playbook.edges.push({ id: 'e21', source: 'start2', target: 'welcome' });
    const [issue] = withCode(compilePlaybook(playbook, context), 'multiple_starts');
    expect(issue).toMatchObject({
      nodeId: 'start2',
      path: 'nodes[16]',
      message: expect.stringContaining("'Second start' is a second start step"),
    });
  });

  it('finds duplicate step ids', () => {
    const playbook = onboarding();
    playbook.nodes.push({ id: 'done', type: 'end', label: 'Finished', config: {} });
    const [issue] = withCode(compilePlaybook(playbook, context), 'duplicate_node_id');
    expect(issue).toMatchObject({
      nodeId: 'done',
      path: 'nodes[16].id',
      message: expect.stringContaining("share the id 'done'"),
    });
  });

  it('finds duplicate connection ids', () => {
    const playbook = onboarding();
    playbook.edges = playbook.edges.map((edge) => (edge.id === 'e20' ? { ...edge, id: 'e19' } : edge));
    const [issue] = withCode(compilePlaybook(playbook, context), 'duplicate_edge_id');
    expect(issue).toMatchObject({ path: 'edges[19].id', message: "Two connections share the id 'e19'" });
  });

  it('finds connections to or from steps that do not exist', () => {
    const playbook = onboarding();
    playbook.edges.push(
      { id: 'e21', source: 'notifyCsm', target: 'ghost' },
      { id: 'e22', source: 'phantom', target: 'done' },
    );
    const issues = withCode(compilePlaybook(playbook, context), 'dangling_edge');
    expect(issues).toEqual([
      {
        nodeId: 'notifyCsm',
        path: 'edges[20].target',
        code: 'dangling_edge',
        message: "'Tell the CSM' leads to a step 'ghost' that does not exist",
      },
      {
        path: 'edges[21].source',
        code: 'dangling_edge',
        message: "Connection 'e22' starts from a step 'phantom' that does not exist",
      },
    ]);
  });

  it('finds a connection from an outcome the step does not have', () => {
    const playbook = onboarding();
    playbook.edges = playbook.edges.map((edge) => (edge.id === 'e9' ? { ...edge, sourceHandle: 'expired' } : edge));
    const [issue] = withCode(compilePlaybook(playbook, context), 'unknown_handle');
    expect(issue).toMatchObject({
      nodeId: 'offer',
      path: 'edges[8].sourceHandle',
      message: expect.stringContaining("'Offer discount' has no outcome 'expired'"),
    });
  });

  it('requires connections from a step with several outcomes to name the outcome', () => {
    const playbook = onboarding();
    playbook.edges = playbook.edges.map((edge) =>
      edge.id === 'e9' ? { id: 'e9', source: 'offer', target: 'notifyCsm' } : edge,
    );
    const [issue] = withCode(compilePlaybook(playbook, context), 'missing_handle');
    expect(issue).toMatchObject({
      nodeId: 'offer',
      message: expect.stringContaining("'approved', 'rejected', 'timeout'"),
    });
  });

  it('finds an outcome with no connection', () => {
    const playbook = onboarding();
    playbook.edges = without(playbook.edges, 'e9');
    const issues = withCode(compilePlaybook(playbook, context), 'unconnected_handle');
    expect(issues).toEqual([
      {
        nodeId: 'offer',
        path: 'nodes[5]',
        code: 'unconnected_handle',
        message: "'Offer discount' has no connection for its 'timeout' outcome",
      },
    ]);
  });

  it('finds a linear step that leads nowhere', () => {
    const playbook = onboarding();
    playbook.edges = without(playbook.edges, 'e20');
    const [issue] = withCode(compilePlaybook(playbook, context), 'unconnected_handle');
    expect(issue).toMatchObject({
      nodeId: 'reachedValue',
      message: expect.stringContaining("'Reached value' does not lead anywhere"),
    });
  });

  it('finds two connections from the same outcome', () => {
    const playbook = onboarding();
    playbook.edges.push({ id: 'e21', source: 'offer', sourceHandle: 'approved', target: 'done' });
    const [issue] = withCode(compilePlaybook(playbook, context), 'duplicate_connection');
    expect(issue).toMatchObject({
      nodeId: 'offer',
      path: 'edges[20]',
      message: expect.stringContaining("more than one connection from its 'approved' outcome"),
    });
  });

  it('finds steps that can never be reached', () => {
    const playbook = onboarding();
    playbook.nodes.push({
      id: 'orphan',
      type: 'wait',
      label: 'Wait 2 more days',
      config: { kind: 'duration', amount: 2, unit: 'days' },
    });
    playbook.edges.push({ id: 'e21', source: 'orphan', target: 'done' });
    const issues = withCode(compilePlaybook(playbook, context), 'unreachable');
    expect(issues).toEqual([
      {
        nodeId: 'orphan',
        path: 'nodes[16]',
        code: 'unreachable',
        message: "Step 'Wait 2 more days' can never be reached from the start",
      },
    ]);
  });

  it('finds a loop with no wait in it', () => {
    const playbook = onboarding();
    // Tell the CRM → Reached value → Tell the CRM: nothing in between waits.
    playbook.edges = playbook.edges.map((edge) => (edge.id === 'e20' ? { ...edge, target: 'crm' } : edge));
    const [issue] = withCode(compilePlaybook(playbook, context), 'loop_without_wait');
    expect(issue).toMatchObject({ nodeId: 'crm', path: 'nodes[6]' });
    expect(issue?.message).toContain("'Tell the CRM' → 'Reached value' form a loop with no wait");
  });

  it('finds a step that loops onto itself without waiting', () => {
    const playbook = onboarding();
    playbook.edges = playbook.edges.map((edge) => (edge.id === 'e11' ? { ...edge, target: 'notifyCsm' } : edge));
    const [issue] = withCode(compilePlaybook(playbook, context), 'loop_without_wait');
    expect(issue).toMatchObject({ nodeId: 'notifyCsm' });
  });

  it('finds an email whose template does not exist', () => {
    const playbook = onboarding();
    node(playbook, 'day4').config.template = 'day4';
    const [issue] = withCode(compilePlaybook(playbook, context), 'unknown_template');
    expect(issue).toMatchObject({
      nodeId: 'day4',
      path: 'nodes[9].config.template',
      message: "The 'Day 4 check-in' email uses template 'day4' which does not exist",
    });
  });

  it('finds a template variable naming an account field that does not exist', () => {
    const result = compilePlaybook(onboarding(), {
      ...context,
      templates: { ...context.templates, welcome: { variables: ['account.tier'] } },
    });
    const [issue] = withCode(result, 'unknown_account_field');
    expect(issue).toMatchObject({
      nodeId: 'welcome',
      message: "The 'Welcome email' email uses {{account.tier}} but accounts have no field 'tier'",
    });
  });

  it('finds unknown account fields in conditions, field updates and date waits', () => {
    const playbook = onboarding();
    node(playbook, 'bySegment').config.conditions = [
      { handle: 'highTouch', when: { not: { field: 'account.tier', op: 'eq', value: 'gold' } } },
    ];
    node(playbook, 'markStage').config.field = 'stage';
    node(playbook, 'untilRenewal').config.field = 'renewsOn';
    const issues = withCode(compilePlaybook(playbook, context), 'unknown_account_field');
    expect(issues.map(({ nodeId, path }) => ({ nodeId, path }))).toEqual([
      { nodeId: 'bySegment', path: 'nodes[4].config.conditions[0].when.not.field' },
      { nodeId: 'untilRenewal', path: 'nodes[11].config.field' },
      { nodeId: 'markStage', path: 'nodes[13].config.field' },
    ]);
    expect(issues[0]?.message).toBe("'Segment?' checks account field 'tier', but accounts have no field 'tier'");
  });

  it('knows custom account fields only from the context', () => {
    const result = compilePlaybook(onboarding(), { templates: context.templates });
    const [issue] = withCode(result, 'unknown_account_field');
    expect(issue).toMatchObject({ nodeId: 'bySegment', path: 'nodes[4].config.conditions[0].when.all[1].field' });
  });

  it('checks condition values against the account field types', () => {
    const playbook = onboarding();
    node(playbook, 'bySegment').config.conditions = [
      { handle: 'big', when: { field: 'account.mrr', op: 'gt', value: 'lots' } },
      { handle: 'vip', when: { field: 'account.segment', op: 'eq', value: 'vip' } },
      { handle: 'later', when: { field: 'account.plan', op: 'lt', value: 'pro' } },
    ];
    const issues = withCode(compilePlaybook(playbook, context), 'condition_type_mismatch');
    expect(issues.map((issue) => issue.path)).toEqual([
      'nodes[4].config.conditions[0].when.value',
      'nodes[4].config.conditions[1].when.value',
      'nodes[4].config.conditions[2].when.op',
    ]);
    expect(issues[1]?.message).toContain("segment is one of 'high-touch', 'mid-touch', 'tech-touch'");
  });

  it('finds split percentages that do not add up to 100', () => {
    const playbook = onboarding();
    node(playbook, 'ab').config.variants = [
      { handle: 'A', percent: 50 },
      { handle: 'B', percent: 40 },
    ];
    const [issue] = withCode(compilePlaybook(playbook, context), 'split_not_100');
    expect(issue).toMatchObject({
      nodeId: 'ab',
      path: 'nodes[10].config.variants',
      message: "The percentages of 'A/B' add up to 90%, not 100%",
    });
  });

  it('finds two outcomes with the same name', () => {
    const playbook = onboarding();
    node(playbook, 'bySegment').config.conditions = [
      { handle: 'else', when: { field: 'account.mrr', op: 'gt', value: 100 } },
    ];
    const [issue] = withCode(compilePlaybook(playbook, context), 'duplicate_handle');
    expect(issue).toMatchObject({
      nodeId: 'bySegment',
      path: 'nodes[4].config.conditions[0].handle',
      message: expect.stringContaining("'else', which is reserved"),
    });
  });

  it('finds a date-relative trigger more than ten years from the date', () => {
    const playbook = onboarding();
    playbook.triggers[1] = { type: 'dateRelative', field: 'renewalDate', offsetDays: -4000 };
    const [issue] = withCode(compilePlaybook(playbook, context), 'impossible_wait');
    expect(issue).toEqual({
      path: 'triggers[1].offsetDays',
      code: 'impossible_wait',
      message: 'Trigger 2 is set 4000 days before renewalDate, more than ten years (3650 days) away',
    });
  });

  it('finds waits longer than ten years and date waits on fields that are not dates', () => {
    const playbook = onboarding();
    node(playbook, 'wait2d').config.amount = 200;
    node(playbook, 'wait2d').config.unit = 'businessDays';
    node(playbook, 'offer').config.timeout = { amount: 4000, unit: 'days' };
    node(playbook, 'untilRenewal').config.field = 'mrr';
    const result = compilePlaybook(playbook, context);
    expect(withCode(result, 'impossible_wait')).toEqual([
      {
        nodeId: 'offer',
        path: 'nodes[5].config.timeout',
        code: 'impossible_wait',
        message: "'Offer discount' waits for a decision for 4000 days, which is more than ten years",
      },
    ]);
    expect(withCode(result, 'not_a_date_field')).toMatchObject([
      { nodeId: 'untilRenewal', message: expect.stringContaining("'mrr', which is not a date") },
    ]);
  });

  it('refuses to overwrite a computed field or to set a field to the wrong type', () => {
    const playbook = onboarding();
    node(playbook, 'markStage').config = { field: 'riskLevel', value: 'low' };
    expect(withCode(compilePlaybook(playbook, context), 'read_only_field')).toMatchObject([{ nodeId: 'markStage' }]);
    node(playbook, 'markStage').config = { field: 'seats', value: 'ten' };
    expect(withCode(compilePlaybook(playbook, context), 'field_type_mismatch')).toMatchObject([
      { nodeId: 'markStage', path: 'nodes[13].config.value', message: expect.stringContaining('seats holds numbers') },
    ]);
  });
});

describe('compilePlaybook: many problems at once', () => {
  it('reports every problem in one pass, schema and graph alike', () => {
    const playbook = onboarding();
    node(playbook, 'wait2d').config.amount = -1; // schema
    node(playbook, 'day4').config.template = 'day4'; // unknown template
    node(playbook, 'ab').config.variants = [
      { handle: 'A', percent: 70 },
      { handle: 'B', percent: 70 },
    ]; // split sum
    playbook.edges = without(playbook.edges, 'e8'); // unconnected 'rejected'
    playbook.edges.push({ id: 'e21', source: 'done', target: 'welcome' }); // nothing follows an end
    playbook.nodes.push({
      id: 'lost',
      type: 'notify',
      label: 'Lost step',
      config: { channel: 'email', message: 'hi' },
    });
    playbook.edges.push({ id: 'e22', source: 'lost', target: 'done' });
    const issues = issuesOf(compilePlaybook(playbook, context));
    expect(issues.map((issue) => [issue.code, issue.nodeId])).toEqual(
      expect.arrayContaining([
        ['too_small', 'wait2d'],
        ['unknown_template', 'day4'],
        ['split_not_100', 'ab'],
        ['unconnected_handle', 'offer'],
        ['unknown_handle', 'done'],
        ['unreachable', 'lost'],
      ]),
    );
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(10);
  });

  it('reports what it can about nonsense input instead of throwing', () => {
    for (const input of [null, undefined, 42, 'playbook', [], {}, { nodes: 'x', edges: [1, null] }]) {
      const issues = issuesOf(compilePlaybook(input));
      expect(issues.length).toBeGreaterThan(0);
    }
    expect(issuesOf(compilePlaybook(null))).toEqual([
      { path: '(root)', code: 'invalid_type', message: 'The playbook must be an object' },
    ]);
  });

  it('refuses hostile nesting with one clear issue', () => {
    let deep: unknown = { field: 'account.mrr', op: 'exists' };
    for (let i = 0; i < 5000; i++) deep = { not: deep };
    const playbook = onboarding();
    node(playbook, 'bySegment').config.conditions = [{ handle: 'x', when: deep }];
    expect(issuesOf(compilePlaybook(playbook, context))).toEqual([
      { path: '(root)', code: 'too_deep', message: 'The playbook is nested more than 64 levels deep' },
    ]);
  });
});

describe('handlesOf', () => {
  it('lists the outcomes of each kind of step', () => {
    const handles = (raw: unknown) => handlesOf(PlaybookNode.parse(raw));
    const playbook = onboarding();
    expect(handles(node(playbook, 'offer'))).toEqual(['approved', 'rejected', 'timeout']);
    expect(handles(node(playbook, 'awaitValue'))).toEqual(['received', 'timeout']);
    expect(handles(node(playbook, 'bySegment'))).toEqual(['highTouch', 'else']);
    expect(handles(node(playbook, 'ab'))).toEqual(['A', 'B']);
    expect(handles(node(playbook, 'welcome'))).toEqual(['out']);
    expect(handles(node(playbook, 'done'))).toEqual([]);
  });
});
