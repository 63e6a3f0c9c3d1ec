import { useCallback } from 'react';
import type { Issue } from '../../../engine/errors.js';
import { SchemaForm } from '../forms/schema-form.js';
import { settingsFormSchema, stepFormSchema } from '../forms/step-schema.js';
import { typeName } from './describe-step.js';
import { removeElements, updateStep } from './edit-ops.js';
import { useEditorState, type EditorStore } from './store.js';

/** The selected step's form, from the engine's schema of its type, with the compiler's word on it. */
export function StepPanel({ store, nodeId, issues }: { store: EditorStore; nodeId: string; issues: readonly Issue[] }) {
  const node = useEditorState(store, (s) => s.draft.nodes.find((n) => n.id === nodeId));
  const revision = useEditorState(store, (s) => s.revision);
  const onValues = useCallback(
    (values: Record<string, unknown>, changed: string | undefined) =>
      store.edit(
        (d) =>
          updateStep(d, nodeId, {
            label: typeof values.label === 'string' ? values.label : '',
            config: (values.config as Record<string, unknown> | undefined) ?? {},
          }),
        { mergeKey: `step:${nodeId}:${changed ?? ''}` },
      ),
    [store, nodeId],
  );
  if (!node) return null;
  return (
    <section className="panel-section" data-testid="config-panel" aria-labelledby="step-panel-title">
      <h2 id="step-panel-title">
        {typeName(node.type)} step <code className="step-id">{node.id}</code>
      </h2>
      {issues.length > 0 && (
        <ul className="issues compact" aria-label="Problems of this step">
          {issues.map((issue, i) => (
            <li key={i}>{issue.message}</li>
          ))}
        </ul>
      )}
      <SchemaForm
        key={`${nodeId}:${revision}`}
        schema={stepFormSchema(node.type)}
        values={{ label: node.label, config: node.config }}
        onValues={onValues}
        label={`Settings of ${node.label}`}
      />
      <button type="button" className="danger" onClick={() => store.edit((d) => removeElements(d, [nodeId], []))}>
        Delete this step
      </button>
    </section>
  );
}

/** Name, triggers, enrollment policy and exit criteria: the playbook's own settings, edited like a step. */
export function SettingsPanel({ store }: { store: EditorStore }) {
  const draft = useEditorState(store, (s) => s.draft);
  const revision = useEditorState(store, (s) => s.revision);
  const onValues = useCallback(
    (values: Record<string, unknown>, changed: string | undefined) =>
      store.edit((d) => ({ ...d, ...values }) as typeof d, { mergeKey: `settings:${changed ?? ''}` }),
    [store],
  );
  return (
    <section className="panel-section" data-testid="settings-panel" aria-labelledby="settings-title">
      <h2 id="settings-title">Playbook settings</h2>
      <p className="field-hint">
        Key <code>{draft.key}</code>. Select a step on the canvas to edit it.
      </p>
      <SchemaForm
        key={revision}
        schema={settingsFormSchema}
        values={{
          name: draft.name,
          description: draft.description,
          triggers: draft.triggers,
          enrollment: draft.enrollment,
          exit: draft.exit,
        }}
        onValues={onValues}
        label="Playbook settings"
      />
    </section>
  );
}
