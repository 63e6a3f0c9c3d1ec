import type { CompiledPlaybook } from '../playbook/ir.js';

/** The email an approval proposes: the first email step its `approved` outcome leads to. */
export interface ProposedEmail {
  nodeId: string;
  label: string;
  template: string;
  recipients: 'primaryContact' | 'allContacts' | 'ownerCsm';
}

// Steps passed through on the way to the email: they do not decide anything, so the email is still "what goes
// out when you approve". A branch, a wait or another person's decision stops the search: past them, which email
// (if any) goes out is no longer this approval's proposal.
const PASSED_THROUGH = new Set(['task', 'updateField', 'notify', 'goal', 'webhook']);

/** What approving `nodeId` sends, when its approved path leads straight to an email; undefined otherwise. */
export function proposedEmail(
  playbook: Pick<CompiledPlaybook, 'nodes' | 'next'>,
  nodeId: string,
): ProposedEmail | undefined {
  const seen = new Set<string>();
  let current = playbook.next[nodeId]?.approved;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const node = playbook.nodes[current];
    if (!node) return undefined;
    if (node.type === 'email') {
      return { nodeId: node.id, label: node.label, template: node.config.template, recipients: node.config.recipients };
    }
    if (!PASSED_THROUGH.has(node.type)) return undefined;
    current = playbook.next[current]?.out;
  }
  return undefined;
}
