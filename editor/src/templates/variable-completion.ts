import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { TEMPLATE_VARIABLE_GROUPS, type TemplateVocabulary } from '../../../engine/templates/schema.js';

/**
 * Completes Liquid variables inside `{{ … }}` and `{% … %}` from the engine's template vocabulary (the same one
 * saving a template and compiling a playbook check against): `account.` offers every account field, custom ones
 * included.
 */
export function variableCompletion(vocabulary: TemplateVocabulary) {
  const options = TEMPLATE_VARIABLE_GROUPS.flatMap((group) =>
    Object.entries(vocabulary[group]).map(([name, spec]) => ({
      label: `${group}.${name}`,
      detail: spec.description,
      type: 'variable',
    })),
  );
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const open = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
    if (open < 0 || before.slice(open).includes('}}') || before.slice(open).includes('%}')) return null;
    const word = context.matchBefore(/[A-Za-z_][\w.]*$/);
    if (!word && !context.explicit) return null;
    return { from: word?.from ?? context.pos, options, validFor: /^[\w.]*$/ };
  };
}
