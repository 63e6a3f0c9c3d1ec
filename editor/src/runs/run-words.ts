import type { RunDetail } from '../../../engine/runs/summary.js';

// How the app names where a run stands, in one place: the step's label from the version the run follows (the API
// sends it), its id only when the label is not known, and what a wait waits for in words.

type Waiting = NonNullable<RunDetail['position']>['waiting'];

/** The step a run stands at: its label, else its id. */
export const stepWords = (label: string | null | undefined, nodeId: string | null | undefined) =>
  label ?? nodeId ?? '—';

/** What a waiting run waits for: "a timer", "the event nps.submitted", "approval of Offer a discount". */
export function waitingWords(waiting: NonNullable<Waiting>): string {
  switch (waiting.kind) {
    case 'timer':
      return 'a timer';
    case 'event':
      return `the event ${waiting.detail}`;
    case 'approval':
      return `approval of ${waiting.detail}`;
    default:
      return `${waiting.kind}: ${waiting.detail}`;
  }
}
