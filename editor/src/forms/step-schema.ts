import { PlaybookNode, type NodeType } from '../../../engine/playbook/nodes.js';
import { PlaybookDefinition } from '../../../engine/playbook/schema.js';
import { initialValueOf, type AnySchema } from './zod-walk.js';

/** The engine's schema of one node type (an option of the PlaybookNode union). */
export function nodeSchemaOf(type: NodeType) {
  const option = PlaybookNode.options.find((o) => o.shape.type.value === type);
  if (!option) throw new Error(`the engine has no node type ${type}`);
  return option;
}

/** What the side panel edits of a step: its label and its config, as the engine's schema has them. */
export const stepFormSchema = (type: NodeType) => nodeSchemaOf(type).pick({ label: true, config: true });

/** A new step's config: the schema's defaults, else empty values for the person to fill. */
export const initialConfigOf = (type: NodeType) =>
  (initialValueOf(nodeSchemaOf(type).shape.config as AnySchema) ?? {}) as Record<string, unknown>;

/** The playbook-level settings edited like a step: name, triggers, enrollment policy, exit criteria. */
export const settingsFormSchema = PlaybookDefinition.pick({
  name: true,
  description: true,
  triggers: true,
  enrollment: true,
  exit: true,
});
