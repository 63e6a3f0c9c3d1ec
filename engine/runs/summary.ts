import { z } from 'zod';
import { TimelineEntry } from '../simulator/schemas.js';

// A playbook run as the runs API answers it: the list's summary (with its account's name and owner) and one run's
// detail (where it stands, what it waits for until when, its step log).

export const RunSummary = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    playbook: z.string().nullable(),
    version: z.number().nullable(),
    account: z.string().nullable(),
    node: z.string().nullable(),
    status: z.string(),
    startedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'RunSummary' });
export type RunSummary = z.infer<typeof RunSummary>;

/** The words for a run's playbook and step, from the version it is pinned to; null where that version is not known. */
const RunWords = {
  playbookName: z.string().nullable().meta({ description: 'The playbook’s name in the version the run follows.' }),
  nodeLabel: z.string().nullable().meta({ description: 'The label of the step the run stands at (`node`).' }),
};

export const RunListItem = RunSummary.extend({
  ...RunWords,
  accountName: z.string().nullable(),
  ownerCsmEmail: z.string().nullable(),
});
export type RunListItem = z.infer<typeof RunListItem>;

export const RunDetail = RunSummary.extend({
  ...RunWords,
  accountName: z.string().nullable(),
  position: z
    .object({
      nodeId: z.string(),
      waiting: z.object({ kind: z.string(), until: z.string(), detail: z.string() }).optional(),
    })
    .nullable(),
  timeline: z.array(TimelineEntry),
  temporalUiUrl: z.string().nullable(),
}).meta({ id: 'RunDetail' });
export type RunDetail = z.infer<typeof RunDetail>;
