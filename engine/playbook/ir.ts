import { z } from 'zod';
import { AccountFieldName, AccountFieldType } from './account-fields.js';
import type { PlaybookNode } from './nodes.js';
import { TemplateKey } from './nodes.js';
import type { EnrollmentPolicy, ExitCriterion } from './schema.js';
import type { Trigger } from './triggers.js';

/** What the compiler checks references against: the install's templates and custom account fields. */
export const CompileContext = z
  .object({
    // Absent: templates are not checked (e.g. `stayflow validate` without a server). Present: every email's
    // template must be listed, and the `account.*` variables it uses must be account fields.
    templates: z.record(TemplateKey, z.object({ variables: z.array(z.string()).optional() })).optional(),
    accountFields: z.record(AccountFieldName, AccountFieldType).optional(),
    // Absent: assignOwner's CSMs and teams are not checked (offline). Present: every CSM it names must be an
    // active CSM, and every team a manager (by email, lower case) with the emails of their active CSMs.
    people: z.object({ csms: z.array(z.string()), teams: z.record(z.string(), z.array(z.string())) }).optional(),
  })
  .meta({ id: 'CompileContext' });
export type CompileContext = z.infer<typeof CompileContext>;

type WithoutPosition<Node> = Node extends unknown ? Omit<Node, 'position'> : never;
/** A step as the interpreter sees it: the canvas position is editor-only and not part of the playbook's meaning. */
export type CompiledNode = WithoutPosition<PlaybookNode>;

// The IR is plain JSON (no classes, no functions) because it is the Temporal workflow input; workflow code
// imports these types only, never the zod schemas.
export interface CompiledPlaybook {
  irVersion: 1;
  key: string;
  name: string;
  /** 0 while a draft; publishing stamps the version number. Not part of the checksum. */
  version: number;
  startNodeId: string;
  nodes: Record<string, CompiledNode>;
  /** next[nodeId][handle] = the step that outcome leads to. End steps have an empty record. */
  next: Record<string, Record<string, string>>;
  triggers: Trigger[];
  enrollment: EnrollmentPolicy;
  exit: ExitCriterion[];
  /** fnv1a64 of the canonical IR without `version` and `checksum`. */
  checksum: string;
}
