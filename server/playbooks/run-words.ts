import type { Db } from '../db/database.js';
import { isDomainError } from '../errors.js';
import { compiledVersion } from './store.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';

// A run is listed by what Temporal's visibility knows of it: the playbook's key, its version and the step's id. People
// read names: "Renewal cadence", "Until 30 days before renewal". The version a run is pinned to holds both (a run of
// version 1 shows version 1's label, even after version 2 renamed the step), and published versions are immutable, so
// the compiled-version cache answers them after the first read.

export interface RunWords {
  playbookName: string | null;
  nodeLabel: string | null;
}

interface RunRef {
  playbook: string | null;
  version: number | null;
  node: string | null;
}

/** The playbook's name and the step's label for each run, in order; nulls where a run's version is not known. */
export async function runWords(db: Db, runs: readonly RunRef[]): Promise<RunWords[]> {
  const keys = [...new Set(runs.map((run) => run.playbook).filter((key): key is string => key !== null))];
  const refs =
    keys.length === 0
      ? []
      : await db
          .selectFrom('playbooks')
          .select(['id', 'key', 'current_version as currentVersion'])
          .where('key', 'in', keys)
          .execute();
  // With a version named, compiledVersion does not look at the archive mark: a run of an archived playbook keeps its words.
  const byKey = new Map(refs.map((ref) => [ref.key, { ...ref, archivedAt: null }]));
  const versions = new Map<string, Promise<CompiledPlaybook | undefined>>();
  const versionOf = (key: string, version: number) => {
    const id = `${key}@${version}`;
    const ref = byKey.get(key);
    if (!versions.has(id)) {
      // A version that is gone (a playbook deleted in a test database) leaves the run unnamed, not the list failed;
      // any other error (the database down) is the list's error.
      versions.set(
        id,
        ref
          ? compiledVersion(db, ref, version).catch((error: unknown) => {
              if (isDomainError(error) && error.kind === 'not_found') return undefined;
              throw error;
            })
          : Promise.resolve(undefined),
      );
    }
    return versions.get(id)!;
  };
  return Promise.all(
    runs.map(async ({ playbook, version, node }) => {
      const ir = playbook !== null && version !== null ? await versionOf(playbook, version) : undefined;
      return {
        playbookName: ir?.name ?? null,
        nodeLabel: (node !== null && ir?.nodes[node]?.label) || null,
      };
    }),
  );
}
