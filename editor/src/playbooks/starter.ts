import type { PlaybookDefinitionInput } from '../../../engine/playbook/schema.js';

/**
 * The smallest playbook that compiles: enrolled by hand, a start step straight to an end step. A person then
 * adds steps between the two from the palette.
 */
export function starterPlaybook(key: string, name: string, description: string): PlaybookDefinitionInput {
  return {
    schemaVersion: 1,
    key,
    name,
    description,
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'once' },
    exit: [],
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', position: { x: 0, y: 0 }, config: {} },
      { id: 'end', type: 'end', label: 'End', position: { x: 0, y: 200 }, config: {} },
    ],
    edges: [{ id: 'start-end', source: 'start', target: 'end' }],
  };
}
