import type { Issue } from '../../engine/errors.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { REFUSED_PRIVATE, refusalOf, type OutboundPolicy } from '../effects/outbound-guard.js';

/**
 * Webhook steps whose address is, as written, one Stayflow will not call (this machine, the private network, a
 * metadata endpoint): refused when the playbook is validated and published, on their step, rather than failing
 * later on every run. Names are resolved only when a run delivers, and checked again then.
 */
export function outboundIssues(playbook: CompiledPlaybook, policy: OutboundPolicy | undefined): Issue[] {
  const issues: Issue[] = [];
  for (const node of Object.values(playbook.nodes)) {
    if (node.type !== 'webhook') continue;
    if (refusalOf(node.config.url, policy) !== REFUSED_PRIVATE) continue;
    issues.push({
      nodeId: node.id,
      path: 'config.url',
      code: 'private_address',
      message: `The '${node.label}' webhook calls ${new URL(node.config.url).hostname}, a private address: Stayflow does not call this machine, the private network or a cloud metadata endpoint (OUTBOUND_ALLOW names exceptions)`,
    });
  }
  return issues;
}
