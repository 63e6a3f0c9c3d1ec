// The playbook model, for the server, the editor and the CLI. Not for workflow code: it allocates zod schemas;
// workflows import `ir.js` types and the zod-free `evaluate-condition.js` / `checksum.js` directly.
export * from './account-fields.js';
export * from './checksum.js';
export * from './compile.js';
export * from './conditions.js';
export * from './durations.js';
export * from './evaluate-condition.js';
export * from './ir.js';
export * from './nodes.js';
export * from './schema.js';
export * from './triggers.js';
