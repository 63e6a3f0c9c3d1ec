import type { CompileContext } from '../../engine/playbook/ir.js';
import { compileAccountFields } from '../accounts/field-definitions.js';
import { assignmentCompilePeople } from '../assignment/directory.js';
import type { Db } from '../db/database.js';
import { templateCompileContext } from '../templates/store.js';

/**
 * What the server compiles playbooks against: this install's custom account fields and its email templates (each
 * with the variables it reads, so an email using an unknown one fails on its node), and its CSMs and teams (an
 * assignOwner step naming one that is not there fails on its node).
 */
export async function compileContext(db: Db): Promise<CompileContext> {
  return {
    accountFields: await compileAccountFields(db),
    templates: await templateCompileContext(db),
    people: await assignmentCompilePeople(db),
  };
}
