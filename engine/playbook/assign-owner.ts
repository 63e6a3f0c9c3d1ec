import type { AssignOwnerConfig, OwnerChoice } from './nodes.js';

// The assignOwner step's rules, pure and zod-free (the interpreter, hence workflow code, imports this module):
// which choice applies to an account, how a team's next CSM is picked, and the words the run, its step log and
// the preview all use, so the three can never describe one assignment two ways.

/** The choice that applies to the account, and the rule that made it apply ("segment high-touch"). */
export interface ResolvedOwnerChoice {
  owner: OwnerChoice;
  /** Empty when the step names one team for every account. */
  basis: string;
}

/** bySegment reads the account's segment as the run knows it; the team strategies apply to every account. */
export function ownerChoiceFor(
  config: AssignOwnerConfig,
  fields: Readonly<Record<string, unknown>>,
): ResolvedOwnerChoice {
  switch (config.strategy) {
    case 'bySegment': {
      const segment = typeof fields.segment === 'string' && fields.segment !== '' ? fields.segment : undefined;
      const rule = segment === undefined ? undefined : config.segments.find((r) => r.segment === segment);
      if (rule) return { owner: rule.owner, basis: `segment ${segment}` };
      return {
        owner: config.fallback,
        basis: segment === undefined ? 'fallback: the account has no segment' : `fallback: no rule for ${segment}`,
      };
    }
    case 'roundRobin':
    case 'leastLoaded':
      return { owner: { kind: 'team', team: config.team, pick: config.strategy }, basis: '' };
    default: {
      const unreachable: never = config;
      return unreachable;
    }
  }
}

export const sameEmail = (a: string | null | undefined, b: string | null | undefined) =>
  typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Round robin: the CSM after the one the team's rotation last assigned, in the order of their emails, wrapping
 * round. The cursor is an email, not a position, so a CSM joining or leaving the team does not make the rotation
 * skip or repeat anyone else; a cursor naming someone who left continues with whoever sorts after them.
 */
export function nextInRotation(members: readonly string[], last: string | null | undefined): string | undefined {
  const order = [...new Set(members.map((m) => m.toLowerCase()))].sort();
  if (order.length === 0) return undefined;
  const after = last ? order.find((m) => m > last.toLowerCase()) : undefined;
  return after ?? order[0];
}

/**
 * Least loaded: the CSM who owns the fewest accounts, ties to the first by email. Accounts owned, not open runs:
 * ownership is what a CSM's week is made of (every account is theirs to look after, in a playbook or not), it is
 * one indexed count in the database the assignment writes to, and it moves in the same transaction as the
 * assignment — open runs live in Temporal's visibility store, which lags a start by a moment, so two assignments
 * in a row could both see the same CSM as idle.
 */
export function leastLoadedOf(loads: readonly { email: string; accounts: number }[]): string | undefined {
  let best: { email: string; accounts: number } | undefined;
  for (const load of [...loads].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0))) {
    if (!best || load.accounts < best.accounts) best = load;
  }
  return best?.email;
}

/** A person as assignment messages name them: "Ana Ruiz <ana@yourco.example>", or the email alone. */
export function personName(person: { email: string; name?: string | null }): string {
  return person.name ? `${person.name} <${person.email}>` : person.email;
}

/** "team Lena Ortiz": a team is named by its manager. */
export function teamName(manager: { email: string; name?: string | null }): string {
  return `team ${manager.name || manager.email}`;
}

/** Why the chosen CSM: "round robin in team Lena Ortiz; segment high-touch". */
export function assignmentHow(
  owner: OwnerChoice,
  basis: string,
  manager?: { email: string; name?: string | null },
  accountsOwned?: number,
): string {
  const parts: string[] = [];
  if (owner.kind === 'team') {
    const team = manager ? teamName(manager) : `team ${owner.team}`;
    parts.push(
      owner.pick === 'roundRobin'
        ? `round robin in ${team}`
        : `least loaded in ${team}${accountsOwned === undefined ? '' : `: owned ${accountsOwned} account${accountsOwned === 1 ? '' : 's'}`}`,
    );
  }
  if (basis) parts.push(basis);
  return parts.join('; ');
}

/** The outcome detail of a done assignment, which the timeline and the step log show. */
export function assignedDetail(to: { email: string; name?: string | null }, how: string): string {
  return `assigned to ${personName(to)}${how ? ` (${how})` : ''}`;
}

/** An owner someone already set, kept because the step assigns only unowned accounts. */
export function keptOwnerDetail(owner: string): string {
  return `kept the account's owner ${owner} (the step assigns only accounts without one)`;
}

/** Why a choice cannot be carried out, in the same words for the run and the preview. */
export const assignmentProblems = {
  notStored: (accountId: string) => `account ${accountId} is not stored: no owner assigned`,
  unknownCsm: (email: string) => `${email} is not an active CSM of this install`,
  unknownTeam: (team: string) => `no team is led by ${team} (no active manager with that email)`,
  emptyTeam: (manager: { email: string; name?: string | null }) => `${teamName(manager)} has no active CSMs`,
};

/**
 * The install's people as assignment sees them (emails lower case): who may own accounts, and each team. The
 * server builds it for the compile check and the preview; the preview also learns the stored account's owner.
 */
export interface AssignmentDirectory {
  /** Active users who may own accounts (CSMs and managers), by email. */
  csms: Record<string, { name: string | null }>;
  /** Active managers by email, each with the emails of their active CSMs. */
  teams: Record<string, { name: string | null; members: string[] }>;
  /** The stored account's owner CSM now (null: none); absent when the preview is not for a stored account. */
  accountOwner?: string | null;
}
