import { z } from 'zod';

// The paging convention of every list the API serves: `?cursor=` (opaque: the `nextCursor` of the previous page)
// and `?limit=`; the answer keeps its keys and adds `nextCursor`, null on the last page. A cursor this API did not
// give out is a 400 (`invalid_cursor`).

// base64url, so a cursor never needs %-encoding: a URL with one stays far inside the 16 KB Node allows for a head.
export const CursorParam = z
  .string()
  .min(1)
  .max(2000)
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be the nextCursor of a previous page' })
  .optional()
  .meta({ description: 'The `nextCursor` of the previous page; omit for the first page.' });

export const NextCursor = z
  .string()
  .nullable()
  .meta({ description: 'Pass as `cursor` for the next page; null on the last page.' });

/**
 * `?limit=` and `?cursor=` of the lists short enough that their first page usually holds them all (playbooks,
 * templates, people, tokens, an account's contacts): the default is the maximum, so a client written before these
 * lists paged still sees everything up to 500, and one that follows `nextCursor` sees the rest.
 */
export const WholeListPage = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(500)
    .meta({ description: 'Items per page, 1–500 (default 500).' }),
  cursor: CursorParam,
});
