import { useEffect } from 'react';

export interface ShortcutActions {
  undo: () => void;
  redo: () => void;
  save: () => void;
  selectAll: () => void;
  copy: () => string | undefined;
  paste: (text: string | undefined) => void;
}

/** Typing in a field keeps the browser's own meaning of Ctrl+Z, Ctrl+C… */
function inField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * The editor's keyboard: Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z or Ctrl+Y redo, Ctrl/⌘+S save, Ctrl/⌘+A select every
 * step; copy and paste through the system clipboard events (so steps paste into another playbook or tab).
 * Delete/Backspace removes the selection (React Flow's own key handling).
 */
export function useEditorShortcuts(actions: ShortcutActions) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (inField(event.target) || !(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) actions.undo();
      else if ((key === 'z' && event.shiftKey) || key === 'y') actions.redo();
      else if (key === 's') actions.save();
      else if (key === 'a') actions.selectAll();
      else return;
      event.preventDefault();
    };
    const onCopy = (event: ClipboardEvent) => {
      if (inField(event.target)) return;
      const text = actions.copy();
      if (text === undefined || !event.clipboardData) return;
      event.clipboardData.setData('text/plain', text);
      event.preventDefault();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (inField(event.target)) return;
      actions.paste(event.clipboardData?.getData('text/plain'));
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [actions]);
}
