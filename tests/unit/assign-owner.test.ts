import { describe, expect, it } from 'vitest';
import {
  leastLoadedOf,
  nextInRotation,
  ownerChoiceFor,
  type AssignmentDirectory,
} from '../../engine/playbook/assign-owner.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompileContext, CompiledPlaybook } from '../../engine/playbook/ir.js';
import { AssignOwnerConfig } from '../../engine/playbook/nodes.js';
import { simulate } from '../../engine/simulator/simulate.js';
import { describeStep } from '../../editor/src/canvas/describe-step.js';
import { initialConfigOf, stepFormSchema } from '../../editor/src/forms/step-schema.js';
import { variantsOf, type AnySchema } from '../../editor/src/forms/zod-walk.js';
import { NODE_TYPES } from '../../engine/playbook/nodes.js';
import { z } from 'zod';

// The assignOwner step in the engine: its schema and compile checks (each issue on its node), the pure rules that
// pick an owner (which rule applies, round robin, least loaded), and what the preview says — no more than it knows.

const definition = (config: unknown, edges: [string, string, string?][] = []) => ({
  schemaVersion: 1,
  key: 'assign-test',
  name: 'Assign test',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    { id: 'assign', type: 'assignOwner', label: 'Assign a CSM', config },
    { id: 'done', type: 'end', label: 'Done', config: {} },
    { id: 'alert', type: 'end', label: 'Nobody to assign', config: {} },
  ],
  edges: [['start', 'assign'], ['assign', 'done'], ...edges].map(([source, target, sourceHandle], i) => ({
    id: `e${i}`,
    source,
    target,
    ...(sourceHandle && { sourceHandle }),
  })),
});
const compiled = (config: unknown, context: CompileContext = {}): CompiledPlaybook => {
  const result = compilePlaybook(definition(config, [['assign', 'alert', 'failed']]), context);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.playbook;
};
const issuesOf = (config: unknown, context: CompileContext = {}) => {
  const result = compilePlaybook(definition(config, [['assign', 'alert', 'failed']]), context);
  return result.ok ? [] : result.issues.map((i) => ({ nodeId: i.nodeId, path: i.path, code: i.code }));
};

const emea = 'lena@yourco.example';
const bySegment = {
  strategy: 'bySegment',
  segments: [
    { segment: 'high-touch', owner: { kind: 'csm', email: 'ana@yourco.example' } },
    { segment: 'mid-touch', owner: { kind: 'team', team: emea } },
  ],
  fallback: { kind: 'team', team: emea, pick: 'leastLoaded' },
};
const people: CompileContext = {
  people: { csms: ['ana@yourco.example', 'ben@yourco.example'], teams: { [emea]: ['ben@yourco.example'] } },
};

describe('assignOwner schema and checks', () => {
  it('keeps an existing owner and rotates within a team unless the step says otherwise', () => {
    expect(AssignOwnerConfig.parse({ strategy: 'roundRobin', team: emea })).toEqual({
      strategy: 'roundRobin',
      team: emea,
      onlyIfUnowned: true,
    });
    const parsed = AssignOwnerConfig.parse(bySegment);
    if (parsed.strategy !== 'bySegment') throw new Error('bySegment expected');
    expect(parsed.segments[1]!.owner).toEqual({
      kind: 'team',
      team: emea,
      pick: 'roundRobin',
    });
    expect(AssignOwnerConfig.safeParse({ strategy: 'roundRobin', team: 'EMEA' }).success).toBe(false);
  });

  it('compiles, with an optional failure route', () => {
    const playbook = compiled(bySegment, people);
    expect(playbook.nodes.assign).toMatchObject({ type: 'assignOwner', config: { onlyIfUnowned: true } });
    expect(playbook.next.assign).toEqual({ out: 'done', failed: 'alert' });
    // The failure route may be left out.
    const bare = definition(bySegment);
    expect(compilePlaybook({ ...bare, nodes: bare.nodes.filter((n) => n.id !== 'alert') }).ok).toBe(true);
  });

  it('names the node and the field of every CSM or team the install does not have, and a segment ruled twice', () => {
    const config = {
      ...bySegment,
      segments: [...bySegment.segments, { segment: 'high-touch', owner: { kind: 'csm', email: 'zoe@yourco.example' } }],
      fallback: { kind: 'team', team: 'nobody@yourco.example' },
    };
    expect(issuesOf(config, people)).toEqual([
      { nodeId: 'assign', path: 'nodes[1].config.segments[2].segment', code: 'duplicate_segment' },
      { nodeId: 'assign', path: 'nodes[1].config.segments[2].owner.email', code: 'unknown_csm' },
      { nodeId: 'assign', path: 'nodes[1].config.fallback.team', code: 'unknown_team' },
    ]);
    const empty: CompileContext = { people: { csms: [], teams: { [emea]: [] } } };
    expect(issuesOf({ strategy: 'leastLoaded', team: 'LENA@yourco.example' }, empty)).toEqual([
      { nodeId: 'assign', path: 'nodes[1].config.team', code: 'empty_team' },
    ]);
    // Offline (no people in the context) nothing is looked up.
    expect(issuesOf({ strategy: 'roundRobin', team: 'nobody@yourco.example' })).toEqual([]);
  });
});

describe('choosing an owner', () => {
  const config = AssignOwnerConfig.parse(bySegment);
  it('applies the rule of the account’s segment, else the fallback, saying which', () => {
    expect(ownerChoiceFor(config, { segment: 'high-touch' })).toEqual({
      owner: { kind: 'csm', email: 'ana@yourco.example' },
      basis: 'segment high-touch',
    });
    expect(ownerChoiceFor(config, { segment: 'tech-touch' })).toEqual({
      owner: { kind: 'team', team: emea, pick: 'leastLoaded' },
      basis: 'fallback: no rule for tech-touch',
    });
    expect(ownerChoiceFor(config, { segment: null }).basis).toBe('fallback: the account has no segment');
    const rr = AssignOwnerConfig.parse({ strategy: 'roundRobin', team: emea });
    expect(ownerChoiceFor(rr, { segment: 'high-touch' })).toEqual({
      owner: { kind: 'team', team: emea, pick: 'roundRobin' },
      basis: '',
    });
  });

  it('round robin takes each CSM in turn by email, wraps, and survives the last one leaving the team', () => {
    const team = ['carla@x.example', 'Ana@x.example', 'ben@x.example'];
    const order: string[] = [];
    let last: string | undefined;
    for (let i = 0; i < 4; i++) order.push((last = nextInRotation(team, last)!));
    expect(order).toEqual(['ana@x.example', 'ben@x.example', 'carla@x.example', 'ana@x.example']);
    // Ben left after his turn: Carla is still next, nobody is skipped or repeated.
    expect(nextInRotation(['ana@x.example', 'carla@x.example'], 'ben@x.example')).toBe('carla@x.example');
    expect(nextInRotation([], 'ben@x.example')).toBeUndefined();
  });

  it('least loaded takes the CSM owning the fewest accounts, ties to the first by email', () => {
    expect(
      leastLoadedOf([
        { email: 'carla@x.example', accounts: 1 },
        { email: 'ben@x.example', accounts: 3 },
        { email: 'ana@x.example', accounts: 1 },
      ]),
    ).toBe('ana@x.example');
    expect(leastLoadedOf([])).toBeUndefined();
  });
});

describe('the preview of an assignOwner step', () => {
  const startAt = '2026-12-01T09:00:00Z';
  const account = (segment: string) => ({ id: 'sample', timeZone: 'Europe/Madrid', fields: { segment } });
  const directory: AssignmentDirectory = {
    csms: {
      'ana@yourco.example': { name: 'Ana Ruiz' },
      'ben@yourco.example': { name: 'Ben Ortiz' },
      [emea]: { name: 'Lena Ortiz' },
    },
    teams: { [emea]: { name: 'Lena Ortiz', members: ['ana@yourco.example', 'ben@yourco.example'] } },
  };
  const assignEntry = async (config: unknown, segment: string, people?: AssignmentDirectory) => {
    const result = await simulate({ playbook: compiled(config), account: account(segment), startAt, people });
    return { entry: result.timeline.find((e) => e.kind === 'assignOwner')!, end: result.endNodeId };
  };

  it('names the CSM a segment rule assigns, which the run would assign too', async () => {
    const { entry } = await assignEntry(bySegment, 'high-touch', { ...directory, accountOwner: null });
    expect(entry.summary).toBe('Would be assigned to Ana Ruiz <ana@yourco.example> (segment high-touch)');
  });

  it('names the team, not a CSM, for a rotation it cannot know; hedges an owner it does not know', async () => {
    const { entry } = await assignEntry({ strategy: 'roundRobin', team: emea }, 'mid-touch', directory);
    expect(entry.summary).toBe(
      "Would be assigned to the next CSM in team Lena Ortiz's rotation (of Ana Ruiz <ana@yourco.example>, Ben Ortiz <ben@yourco.example>), unless it has an owner by then",
    );
    const offline = await assignEntry({ ...bySegment, onlyIfUnowned: false }, 'tech-touch');
    expect(offline.entry.summary).toBe(
      `Would be assigned to the CSM of team ${emea} who owns the fewest accounts when the step runs (fallback: no rule for tech-touch)`,
    );
  });

  it('keeps an owner the stored account has, and takes the failure route where the run would', async () => {
    const kept = await assignEntry(bySegment, 'high-touch', { ...directory, accountOwner: 'zoe@yourco.example' });
    expect(kept.entry).toMatchObject({
      summary: 'Assign a CSM: skipped',
      why: "kept the account's owner zoe@yourco.example (the step assigns only accounts without one)",
    });
    expect(kept.end).toBe('done');
    const gone = await assignEntry({ strategy: 'roundRobin', team: 'max@yourco.example' }, 'mid-touch', directory);
    expect(gone.entry).toMatchObject({
      summary: 'Assign a CSM: failed',
      why: 'no team is led by max@yourco.example (no active manager with that email)',
    });
    expect(gone.end).toBe('alert');
  });
});

describe('the editor’s assignOwner step', () => {
  it('is in the palette, and its form is the engine’s schema: a strategy to pick, emails in text boxes', () => {
    expect(NODE_TYPES).toContain('assignOwner');
    const config = stepFormSchema('assignOwner').shape.config as AnySchema;
    const strategies = variantsOf(config)!;
    expect(strategies.options.map(([tag]) => tag)).toEqual(['bySegment', 'roundRobin', 'leastLoaded']);
    const team = strategies.options[1]![1].shape.team;
    const fallback = variantsOf(strategies.options[0]![1].shape.fallback as AnySchema)!;
    expect(team).toBeInstanceOf(z.ZodString);
    expect(fallback.options[0]![1].shape.email).toBeInstanceOf(z.ZodString);
    expect(initialConfigOf('assignOwner')).toEqual({
      strategy: 'bySegment',
      segments: [],
      fallback: { kind: 'csm', email: '' },
      onlyIfUnowned: true,
    });
  });

  it('says on its card what it does', () => {
    const card = (config: Record<string, unknown>) =>
      describeStep({ id: 'a', type: 'assignOwner', label: 'A', position: { x: 0, y: 0 }, config });
    expect(card({ strategy: 'roundRobin', team: emea })).toEqual({
      headline: `Assign owner · round robin in team ${emea}`,
      detail: 'only accounts without an owner',
    });
    expect(card({ ...bySegment, onlyIfUnowned: false }).detail).toBe(
      `high-touch → ana@yourco.example; mid-touch → team ${emea}, round robin; else → team ${emea}, least loaded · replaces an existing owner`,
    );
  });
});
