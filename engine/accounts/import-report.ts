import { z } from 'zod';

export const ImportKind = z.enum(['accounts', 'contacts']);
export type ImportKind = z.infer<typeof ImportKind>;

export const ImportIssue = z.object({
  column: z
    .string()
    .nullable()
    .meta({ description: 'The column as the file names it; null when the whole row is at fault.' }),
  message: z.string(),
});
export type ImportIssue = z.infer<typeof ImportIssue>;

export const RejectedRow = z.object({
  row: z.number().int().meta({
    description: 'The row as a spreadsheet numbers it: the header is row 1, the first data row is row 2.',
  }),
  externalId: z.string().optional().meta({ description: 'The account’s external id, when the row has one.' }),
  email: z.string().optional().meta({ description: 'The contact’s email (contact imports), when the row has one.' }),
  issues: z.array(ImportIssue),
});
export type RejectedRow = z.infer<typeof RejectedRow>;

export const ImportEnrollment = z.object({
  playbookKey: z.string(),
  name: z.string().meta({ description: 'The playbook’s name, as published.' }),
  accounts: z.number().int().meta({ description: 'Imported accounts whose changes match one of its triggers.' }),
  example: z.string().optional().meta({
    description: 'Why the first of them would be enrolled, as its run would say it (a late date: "enrolling late").',
  }),
});
export type ImportEnrollment = z.infer<typeof ImportEnrollment>;

export const ImportHandOff = z.object({
  accounts: z.number().int().meta({ description: 'Accounts whose changes are handed to their workflows.' }),
  perSecond: z.number().int().meta({ description: 'The pace of the hand-off (IMPORT_HANDOFF_PER_SECOND).' }),
  estimatedSeconds: z.number().int().meta({ description: 'About how long handing them all over takes.' }),
});
export type ImportHandOff = z.infer<typeof ImportHandOff>;

export const ImportReport = z
  .object({
    kind: ImportKind,
    rows: z.number().int().meta({ description: 'Data rows read (blank rows are skipped).' }),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(RejectedRow).meta({ description: 'Rows that changed nothing, each with what to fix.' }),
    enrollments: z
      .array(ImportEnrollment)
      .optional()
      .meta({
        description:
          'Account imports: for each published playbook whose triggers the imported changes match (field changed, ' +
          'segment entered, a date set inside a date-relative playbook’s window), how many accounts it would ' +
          'enroll, as their workflows will decide when the changes reach them. An upper bound: enrollment policies ' +
          '(one run at a time, cooldowns, a catch-up that finds no step ahead) may enroll fewer.',
      }),
    handOff: ImportHandOff.optional().meta({
      description:
        'Account imports: the changed accounts are handed to their workflows at a steady pace after the import ' +
        'answers, so other accounts’ timely steps do not wait behind them.',
    }),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof ImportReport>;
