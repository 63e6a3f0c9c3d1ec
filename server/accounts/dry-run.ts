import type { Db } from '../db/database.js';

// A dry run of an import does every write of a batch — the same statements, the same constraints, the same row
// locks — and then rolls the transaction back, so its report is the one the real import would give and nothing
// is kept. Doing the writes (rather than skipping them) means a check the database makes is part of the report
// too, not only the checks written in TypeScript.

class DryRunRollback extends Error {
  constructor() {
    super('dry run: rolled back on purpose');
  }
}

/** Runs `work` in one transaction; committed normally, rolled back after it finished when `dryRun`. */
export async function inBatchTransaction<T>(db: Db, dryRun: boolean, work: (tx: Db) => Promise<T>): Promise<T> {
  if (!dryRun) return db.transaction().execute(work);
  let result: { value: T } | undefined;
  try {
    await db.transaction().execute(async (tx) => {
      result = { value: await work(tx) };
      throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return result!.value;
}
