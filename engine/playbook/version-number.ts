import { z } from 'zod';

// A published version's number. Versions are stored in a Postgres `integer` column, so a number past 2^31 − 1 is
// refused here as a 4xx rather than reaching the database and failing there as a 500.
export const MAX_VERSION = 2_147_483_647;

export const VersionNumber = z.number().int().min(1).max(MAX_VERSION);

/** The same number read from a path or query string. */
export const VersionParam = z.coerce.number().int().min(1).max(MAX_VERSION);
