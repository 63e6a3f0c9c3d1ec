import type { PublishedPlaybook } from '../../engine/triggers/match.js';
import type { OutboundPolicy } from '../effects/outbound-guard.js';
import { outboundIssues } from './outbound-check.js';
import { sql } from 'kysely';
import { z } from 'zod';
import { toIssues, type Issue } from '../../engine/errors.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { PlaybookKey } from '../../engine/playbook/schema.js';
import { DomainError, notFound } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { compileContext } from './compile-context.js';
import { isUuid } from '../db/uuid.js';
import { keysetPage } from '../db/page-cursor.js';
import { cachedVersion, keepVersion } from './compiled-cache.js';

// A draft may be unfinished (the editor saves work in progress), but it needs a key and a name to be filed.
const DraftIdentity = z.object({ key: PlaybookKey, name: z.string().trim().min(1, { error: 'must not be empty' }) });

export interface PlaybookRecord {
  id: string;
  key: string;
  name: string;
  draft: unknown;
  currentVersion: number | null;
  updatedAt: string;
  /** When it was archived: an archived playbook enrolls no one, and its running runs finish on their version. */
  archivedAt: string | null;
}

function identityOf(definition: unknown): { key: string; name: string } {
  const parsed = DraftIdentity.safeParse(definition);
  if (!parsed.success) {
    const issues = toIssues(parsed.error);
    throw new DomainError(
      'invalid',
      'invalid_request',
      `The playbook needs a key and a name — ${issues[0]!.path}: ${issues[0]!.message}`,
      issues,
    );
  }
  return parsed.data;
}

const toRecord = (row: {
  id: string;
  key: string;
  name: string;
  draft: unknown;
  current_version: number | null;
  updated_at: Date;
  archived_at: Date | null;
}): PlaybookRecord => ({
  id: row.id,
  key: row.key,
  name: row.name,
  draft: row.draft,
  currentVersion: row.current_version,
  updatedAt: row.updated_at.toISOString(),
  archivedAt: row.archived_at?.toISOString() ?? null,
});

/**
 * Playbooks by name. Archived ones enroll no one, so they are left out unless asked for: trigger evaluation (the
 * account workflow's `publishedPlaybooks`) lists them this way and never sees an archived playbook.
 */
export async function listPlaybooks(
  db: Db,
  { includeArchived = false }: { includeArchived?: boolean } = {},
): Promise<PlaybookRecord[]> {
  let query = db.selectFrom('playbooks').selectAll();
  if (!includeArchived) query = query.where('archived_at', 'is', null);
  return (await query.orderBy('name').execute()).map(toRecord);
}

/** Every playbook, archived ones included, by name a page at a time (keyset on name and id): the API's list. */
export async function pagePlaybooks(db: Db, page: { limit: number; cursor?: string }) {
  return keysetPage(db.selectFrom('playbooks').selectAll(), page, {
    order: 'asc',
    keys: [
      ['name', 'text'],
      ['id', 'uuid'],
    ],
    item: toRecord,
  });
}

/**
 * Archives or brings back a playbook. Archiving stops new enrollments (manual ones get a 409, triggers skip it);
 * runs already going are Temporal workflows pinned to their version and finish untouched. Repeating either is a
 * no-op that answers the playbook as it is.
 */
export async function setArchived(db: Db, idOrKey: string, archived: boolean): Promise<PlaybookRecord> {
  const playbook = await findPlaybook(db, idOrKey);
  if ((playbook.archivedAt !== null) === archived) return playbook;
  const row = await db
    .updateTable('playbooks')
    .set({ archived_at: archived ? sql<Date>`now()` : null })
    .where('id', '=', playbook.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** By id or by key: playbooks kept in git are addressed by key. */
export async function findPlaybook(db: Db, idOrKey: string): Promise<PlaybookRecord> {
  const row = await db
    .selectFrom('playbooks')
    .selectAll()
    .where(isUuid(idOrKey) ? 'id' : 'key', '=', idOrKey)
    .executeTakeFirst();
  if (!row) throw notFound(`Playbook ${idOrKey}`);
  return toRecord(row);
}

export async function createPlaybook(db: Db, definition: unknown): Promise<PlaybookRecord> {
  const { key, name } = identityOf(definition);
  const row = await db
    .insertInto('playbooks')
    .values({ key, name, draft: JSON.stringify(definition) })
    .onConflict((oc) => oc.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row)
    throw new DomainError(
      'conflict',
      'conflict',
      `A playbook with key '${key}' already exists; update its draft instead`,
    );
  return toRecord(row);
}

export async function updateDraft(db: Db, idOrKey: string, definition: unknown): Promise<PlaybookRecord> {
  const current = await findPlaybook(db, idOrKey);
  const { key, name } = identityOf(definition);
  if (key !== current.key)
    throw new DomainError('invalid', 'invalid_request', `The key of a playbook cannot change (it is '${current.key}')`);
  const row = await db
    .updateTable('playbooks')
    .set({ name, draft: JSON.stringify(definition), updated_at: sql<Date>`now()` })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export class InvalidPlaybookError extends DomainError {
  constructor(issues: Issue[]) {
    super(
      'unprocessable',
      'invalid_playbook',
      `The playbook has ${issues.length} problem${issues.length === 1 ? '' : 's'} to fix before it can run`,
      issues,
    );
  }
}

/** The longest note a version keeps: a sentence or two of why, not a changelog (migration 0012 checks it too). */
export const VERSION_NOTE_MAX = 500;

/** A note as kept: trimmed, and none when only spaces were typed. */
function versionNote(note: string | null | undefined): string | null {
  const trimmed = note?.trim() ?? '';
  if (trimmed.length > VERSION_NOTE_MAX)
    throw new DomainError(
      'invalid',
      'note_too_long',
      `The note has ${trimmed.length} characters; keep it to ${VERSION_NOTE_MAX}`,
    );
  return trimmed === '' ? null : trimmed;
}

/** Who published, named as the audit log names an actor, so the two read alike. */
const publisherName = (principal: Principal) =>
  principal.kind === 'user' ? principal.email : `token '${principal.name}'`;

/**
 * Compiles the draft and files it as the next immutable version, with the publisher's note and who published it;
 * running enrollments keep their own version. A draft that compiles to the current version's IR (same checksum:
 * nothing a run does would differ) is not a new version: the answer is the current one, `unchanged`, so publishing
 * from CI on every push is idempotent — and the note, having no version to describe, is not kept.
 */
export async function publishDraft(
  db: Db,
  idOrKey: string,
  outbound?: OutboundPolicy,
  by: { note?: string | null; principal?: Principal } = {},
): Promise<{ version: number; checksum: string; unchanged: boolean }> {
  const note = versionNote(by.note);
  const playbook = await findPlaybook(db, idOrKey);
  const result = compilePlaybook(playbook.draft, await compileContext(db));
  if (!result.ok) throw new InvalidPlaybookError(result.issues);
  const refused = outboundIssues(result.playbook, outbound);
  if (refused.length > 0) throw new InvalidPlaybookError(refused);
  return db.transaction().execute(async (tx) => {
    // The row lock serialises concurrent publishes of one playbook, so version numbers never collide.
    const locked = await tx
      .selectFrom('playbooks')
      .select('current_version')
      .where('id', '=', playbook.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.current_version !== null) {
      const current = await tx
        .selectFrom('playbook_versions')
        .select('checksum')
        .where('playbook_id', '=', playbook.id)
        .where('version', '=', locked.current_version)
        .executeTakeFirst();
      if (current?.checksum === result.playbook.checksum) {
        return { version: locked.current_version, checksum: current.checksum, unchanged: true };
      }
    }
    const version = (locked.current_version ?? 0) + 1;
    const compiled: CompiledPlaybook = { ...result.playbook, version };
    await tx
      .insertInto('playbook_versions')
      .values({
        playbook_id: playbook.id,
        version,
        definition: JSON.stringify(playbook.draft),
        compiled: JSON.stringify(compiled),
        checksum: compiled.checksum,
        note,
        published_by: by.principal ? publisherName(by.principal) : null,
      })
      .execute();
    await tx.updateTable('playbooks').set({ current_version: version }).where('id', '=', playbook.id).execute();
    return { version, checksum: compiled.checksum, unchanged: false };
  });
}

const versionOf = (r: {
  version: number;
  checksum: string;
  published_at: Date;
  note: string | null;
  published_by: string | null;
}) => ({
  version: r.version,
  checksum: r.checksum,
  publishedAt: r.published_at.toISOString(),
  publishedBy: r.published_by,
  note: r.note,
});

export async function listVersions(db: Db, playbookId: string) {
  const rows = await db
    .selectFrom('playbook_versions')
    .select(['version', 'checksum', 'published_at', 'note', 'published_by'])
    .where('playbook_id', '=', playbookId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(versionOf);
}

/** Published versions, newest first, a page at a time (keyset on the version number). */
export async function pageVersions(db: Db, playbookId: string, page: { limit: number; cursor?: string }) {
  const query = db
    .selectFrom('playbook_versions')
    .select(['version', 'checksum', 'published_at', 'note', 'published_by'])
    .where('playbook_id', '=', playbookId);
  return keysetPage(query, page, { order: 'desc', keys: [['version', 'int']], item: versionOf });
}

/** One published version as it was drawn (the definition, positions included), to compare a draft with. */
export async function findVersion(db: Db, playbook: PlaybookRecord, version: number) {
  const row = await db
    .selectFrom('playbook_versions')
    .select(['version', 'checksum', 'published_at', 'note', 'published_by', 'definition'])
    .where('playbook_id', '=', playbook.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw notFound(`Version ${version} of playbook ${playbook.key}`);
  return { ...versionOf(row), definition: row.definition };
}

/** What reading a version needs of a playbook: which one, which version is current, whether it is archived. */
export type PlaybookRef = Pick<PlaybookRecord, 'id' | 'key' | 'currentVersion' | 'archivedAt'>;

/**
 * A published version's IR; without `version`, the current one — what an enrollment starts, so an archived
 * playbook answers 409 there (a manual enrollment reads the message; the account workflow records it as why not).
 * Versions are immutable: each is read from the database once, then kept in memory (compiled-cache.ts).
 */
export async function compiledVersion(db: Db, playbook: PlaybookRef, version?: number): Promise<CompiledPlaybook> {
  if (version === undefined && playbook.archivedAt !== null) {
    throw new DomainError(
      'conflict',
      'archived',
      `Playbook '${playbook.key}' is archived, so it enrolls no one; unarchive it (POST /api/playbooks/${playbook.key}/unarchive) to enroll accounts again`,
    );
  }
  const wanted = version ?? playbook.currentVersion;
  if (wanted === null || wanted === undefined) {
    throw new DomainError(
      'conflict',
      'not_published',
      `Playbook '${playbook.key}' has no published version yet; publish it first`,
    );
  }
  const cached = cachedVersion(playbook.id, wanted);
  if (cached) return cached;
  const row = await db
    .selectFrom('playbook_versions')
    .select('compiled')
    .where('playbook_id', '=', playbook.id)
    .where('version', '=', wanted)
    .executeTakeFirst();
  if (!row) throw notFound(`Version ${wanted} of playbook ${playbook.key}`);
  return keepVersion(playbook.id, wanted, row.compiled as CompiledPlaybook);
}

/**
 * The current version of a playbook to enroll in (by id or key), with the same answers as `findPlaybook` then
 * `compiledVersion` — not found, archived, not published — in one small query: the playbook's row without its
 * draft, the IR from memory once read.
 */
export async function enrollableVersion(db: Db, idOrKey: string): Promise<CompiledPlaybook> {
  const row = await db
    .selectFrom('playbooks')
    .select(['id', 'key', 'current_version', 'archived_at'])
    .where(isUuid(idOrKey) ? 'id' : 'key', '=', idOrKey)
    .executeTakeFirst();
  if (!row) throw notFound(`Playbook ${idOrKey}`);
  return compiledVersion(db, {
    id: row.id,
    key: row.key,
    currentVersion: row.current_version,
    archivedAt: row.archived_at?.toISOString() ?? null,
  });
}

/** Every published, trigger-relevant playbook in its current version: what an account's workflow matches against. */
export async function publishedPlaybooks(db: Db): Promise<PublishedPlaybook[]> {
  return (await publishedPlaybooksSince(db)).playbooks!;
}

/**
 * The published playbooks with a stamp of what is published (each unarchived playbook's id and current version,
 * in name order): a publish, an archive or an unarchive changes it. Given the stamp the caller already holds and
 * nothing changed, the list is left out — the account workflow keeps its copy and reads one small query a message.
 */
export async function publishedPlaybooksSince(
  db: Db,
  known?: string,
): Promise<{ stamp: string; playbooks?: PublishedPlaybook[] }> {
  const rows = await db
    .selectFrom('playbooks')
    .select(['id', 'key', 'current_version'])
    .where('archived_at', 'is', null)
    .where('current_version', 'is not', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
  const stamp = rows.map((r) => `${r.id}@${r.current_version}`).join(',');
  if (known !== undefined && stamp === known) return { stamp };
  const playbooks: PublishedPlaybook[] = [];
  for (const row of rows) {
    const ir = await compiledVersion(db, {
      id: row.id,
      key: row.key,
      currentVersion: row.current_version,
      archivedAt: null,
    });
    playbooks.push({
      key: ir.key,
      version: ir.version,
      name: ir.name,
      triggers: ir.triggers,
      enrollment: ir.enrollment,
    });
  }
  return { stamp, playbooks };
}
