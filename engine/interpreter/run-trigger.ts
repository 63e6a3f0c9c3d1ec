import type { Trigger } from '../playbook/triggers.js';
import type { AccountHappening } from '../triggers/match.js';
import type { RunTrigger } from './types.js';

// Pure and zod-free (the account's workflow calls it): what enrolled a run, as the run's `trigger.*` context.

/**
 * The happening that enrolled the account, as the run reads it: the event and its data, the field that changed
 * (the first of the playbook's field triggers that this change meets), the new risk level, or the day.
 */
export function runTriggerOf(happening: AccountHappening, triggers: readonly Trigger[] = []): RunTrigger {
  switch (happening.kind) {
    case 'event':
      return { type: 'event', event: happening.name, data: happening.data };
    case 'riskLevel':
      return {
        type: 'riskLevelEntered',
        from: happening.from,
        to: happening.to,
        ...(happening.score !== undefined && { score: happening.score }),
      };
    case 'fields': {
      const watched = triggers.flatMap((t) =>
        t.type === 'fieldChanged' ? [t.field] : t.type === 'segmentEntered' ? ['segment'] : [],
      );
      const changed = Object.keys(happening.changed);
      const field = watched.find((name) => changed.includes(name)) ?? changed[0] ?? '';
      const change = happening.changed[field];
      return { type: 'fieldChanged', field, from: change?.from ?? null, to: change?.to ?? null };
    }
    case 'day':
      return { type: 'dateRelative', today: happening.today };
    default: {
      const unreachable: never = happening;
      return unreachable;
    }
  }
}
