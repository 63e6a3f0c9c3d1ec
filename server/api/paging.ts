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
