import { z } from 'zod';

// One error shape for every API response and CLI report. `nodeId` points the editor at the node to mark.
export const Issue = z
  .object({
    nodeId: z.string().optional(),
    path: z.string(),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'Issue' });
export type Issue = z.infer<typeof Issue>;

export const ApiError = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code, e.g. not_found, invalid_body.' }),
      message: z.string().meta({ description: 'What went wrong, for a person.' }),
      issues: z.array(Issue).optional(),
    }),
  })
  .meta({ id: 'ApiError' });
export type ApiError = z.infer<typeof ApiError>;

/** Turns zod issues into ours, with paths written the way a person reads them (`contacts[2].email`). */
export function toIssues(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      prefix,
    );
    return { path: path || '(root)', code: issue.code, message: issue.message };
  });
}
