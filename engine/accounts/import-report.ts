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

export const ImportReport = z
  .object({
    kind: ImportKind,
    rows: z.number().int().meta({ description: 'Data rows read (blank rows are skipped).' }),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(RejectedRow).meta({ description: 'Rows that changed nothing, each with what to fix.' }),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof ImportReport>;
