import type { ApprovalEscalation, NodeOfType } from '../playbook/nodes.js';

// Types only from the schema: the interpreter (workflow bundle, no zod) walks the chain.

export type AccountPerson = ApprovalEscalation['to'];

/** How a timeline line or a message names who decides. */
export const PERSON_NAMES: Readonly<Record<AccountPerson, string>> = {
  ownerCsm: 'the owner CSM',
  csmManager: 'the CSM manager',
};

/**
 * Who decides, in turn, and for how long: the first decider with the step's timeout, then each escalation.
 * Steps compiled before escalation existed have neither `decider` nor `escalation`: the owner CSM, then the
 * timeout branch — what they meant then.
 */
export function approvalChain(
  config: Pick<NodeOfType<'approval'>['config'], 'timeout'> &
    Partial<Pick<NodeOfType<'approval'>['config'], 'decider' | 'escalation'>>,
): ApprovalEscalation[] {
  return [{ to: config.decider ?? 'ownerCsm', timeout: config.timeout }, ...(config.escalation ?? [])];
}
