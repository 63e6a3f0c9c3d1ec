import { autocompletion } from '@codemirror/autocomplete';
import { markdown } from '@codemirror/lang-markdown';
// @uiw/react-codemirror re-exports @codemirror/view, which is not a dependency of ours by itself.
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { useMemo } from 'react';
import type { TemplateVocabulary } from '../../../engine/templates/schema.js';
import { variableCompletion } from './variable-completion.js';

/** Markdown + Liquid source with variable completion (type `{{ ` or press Ctrl+Space). */
export function SourceEditor({
  value,
  onChange,
  label,
  vocabulary,
  multiline = true,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  vocabulary: TemplateVocabulary;
  multiline?: boolean;
}) {
  const extensions = useMemo(
    () => [
      markdown(),
      autocompletion({ override: [variableCompletion(vocabulary)], activateOnTyping: true }),
      EditorView.contentAttributes.of({ 'aria-label': label }),
      EditorView.lineWrapping,
    ],
    [vocabulary, label],
  );
  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      extensions={extensions}
      basicSetup={{ lineNumbers: multiline, foldGutter: false, highlightActiveLine: multiline }}
      minHeight={multiline ? '12rem' : undefined}
      className={multiline ? 'source body' : 'source subject'}
    />
  );
}
