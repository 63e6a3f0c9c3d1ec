import { describe, expect, it } from 'vitest';
import { decideEmail } from '../../engine/governance/decide.js';
import { DEFAULT_GOVERNANCE } from '../../engine/governance/schema.js';
import type { PlaybookDefinition } from '../../engine/playbook/schema.js';
import { loadSeedPlaybooks } from '../../server/playbooks/seed.js';

// The governance defaults name playbooks by key. A shipped playbook renamed or merged (the three NPS playbooks
// became `nps-follow-up`) must not leave a default that governs nothing while the shipped one goes ungoverned.

const shipped = (await loadSeedPlaybooks()).map((s) => (s.definition as PlaybookDefinition).key);

describe('the default contact governance', () => {
  it('names only playbooks that are shipped', () => {
    const named = [
      ...Object.keys(DEFAULT_GOVERNANCE.playbooks),
      ...DEFAULT_GOVERNANCE.quietWhileRescue.rescuePlaybooks,
    ];
    expect(named.filter((key) => !shipped.includes(key))).toEqual([]);
    expect(named).not.toContain('nps-promoters');
  });

  it('keeps the NPS follow-up out of the quiet period: its detractor email goes out while the rescue it starts is open', () => {
    expect(shipped).toContain('nps-follow-up');
    const decision = decideEmail({
      rules: DEFAULT_GOVERNANCE,
      playbookKey: 'nps-follow-up',
      at: Date.parse('2026-12-01T10:00:00Z'),
      sent: [],
      rescueOpen: true,
    });
    expect(decision).toMatchObject({ send: true });
  });
});
