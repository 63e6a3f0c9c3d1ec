import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `stayflow simulate --trigger`: the preview is told what enrolled the run, so `trigger.*` conditions branch as the
// run would — the shipped NPS follow-up takes the detractor path for a 3 and the promoter path for a 10.

const root = fileURLToPath(new URL('../..', import.meta.url));
const NPS = 'playbooks/seed/nps-follow-up.json';
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
const start = '2026-12-01T09:00:00Z';

function stayflow(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/stayflow.mjs'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const account = JSON.stringify({ timeZone: 'Europe/Madrid', fields: { segment: 'tech-touch' } });
const steps = (stdout: string) => (JSON.parse(stdout) as { nodeId: string; summary: string }[]).map((e) => e.nodeId);

describe('stayflow simulate --trigger', { timeout: 120_000 }, () => {
  it('an NPS answer of 3 previews the detractor path (the rescue), a 10 the referral ask', () => {
    const detractor = stayflow([
      'simulate',
      NPS,
      '--json',
      '--start',
      start,
      '--account',
      account,
      '--trigger',
      '{"event":"nps.answered","data":{"score":3}}',
    ]);
    expect(detractor.stderr).toBe('');
    expect(detractor.status).toBe(0);
    expect(steps(detractor.stdout)).toContain('startRescue');
    expect(steps(detractor.stdout)).not.toContain('referralAsk');

    const promoter = stayflow([
      'simulate',
      NPS,
      '--json',
      '--start',
      start,
      '--account',
      account,
      '--trigger',
      '{"type":"event","event":"nps.answered","data":{"score":10}}',
    ]);
    expect(promoter.status).toBe(0);
    expect(steps(promoter.stdout)).toContain('referralAsk');
    expect(steps(promoter.stdout)).not.toContain('startRescue');
  });

  it('without --trigger no trigger.* condition holds: the branch says so', () => {
    const { status, stdout } = stayflow(['simulate', NPS, '--json', '--start', start, '--account', account]);
    expect(status).toBe(0);
    const timeline = JSON.parse(stdout) as { nodeId: string; summary: string; why: string }[];
    expect(timeline.find((e) => e.nodeId === 'score')).toMatchObject({ why: 'no condition matched' });
  });

  it('a field change as the trigger: trigger.to decides, and the table names what enrolled the run', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-trigger-'));
    const file = path.join(dir, 'plan-change.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        key: 'plan-change',
        name: 'Plan change',
        triggers: [{ type: 'fieldChanged', field: 'plan' }],
        enrollment: { mode: 'everyTime' },
        exit: [],
        nodes: [
          { id: 'start', type: 'trigger', label: 'Plan changed', position: { x: 0, y: 0 }, config: {} },
          {
            id: 'which',
            type: 'branch',
            label: 'Upgraded?',
            position: { x: 0, y: 100 },
            config: { conditions: [{ handle: 'up', when: { field: 'trigger.to', op: 'eq', value: 'enterprise' } }] },
          },
          { id: 'upgraded', type: 'end', label: 'Upgraded', position: { x: 0, y: 200 }, config: {} },
          { id: 'other', type: 'end', label: 'Other change', position: { x: 200, y: 200 }, config: {} },
        ],
        edges: [
          { id: 'e1', source: 'start', target: 'which' },
          { id: 'e2', source: 'which', sourceHandle: 'up', target: 'upgraded' },
          { id: 'e3', source: 'which', sourceHandle: 'else', target: 'other' },
        ],
      }),
    );
    const trigger = '{"field":"plan","from":"pro","to":"enterprise"}';
    const json = stayflow(['simulate', file, '--json', '--start', start, '--trigger', trigger]);
    expect(json.status).toBe(0);
    expect(steps(json.stdout).at(-1)).toBe('upgraded');
    const table = stayflow(['simulate', file, '--start', start, '--trigger', trigger]);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('Enrolled by: plan changed from "pro" to "enterprise"');
    expect(table.stdout).toContain('Ends at step upgraded on day 0.');
    const other = stayflow(['simulate', file, '--json', '--start', start, '--trigger', '{"field":"plan","to":"pro"}']);
    expect(steps(other.stdout).at(-1)).toBe('other');
  });

  it('a --trigger that is not a trigger: one clear line, exit 2, nothing simulated', () => {
    const { status, stdout, stderr } = stayflow(['simulate', NPS, '--trigger', '{"score":3}']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--trigger is not valid');
    expect(stderr).toContain('{"event":"nps.answered","data":{"score":3}}');
    const broken = stayflow(['simulate', NPS, '--trigger', '{event: nps.answered}']);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('--trigger: not valid JSON');
  });
});
