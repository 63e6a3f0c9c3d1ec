import { useSyncExternalStore } from 'react';
import type { Draft } from './draft.js';

// The editor's own small store: the draft, what is selected, and the undo/redo history of drafts. Drafts are
// immutable values (each edit makes a new one, unchanged steps keep their identity), so a history entry is just
// a reference and memoised node cards re-render only for the steps that changed.

export interface Selection {
  nodes: readonly string[];
  edges: readonly string[];
}

export interface EditorState {
  draft: Draft;
  selection: Selection;
  /** Bumped when the draft is replaced wholesale (undo, redo, import, load): open forms re-read it. Edits do not
   * bump it: forms are where label and config edits come from, and nothing else changes those. */
  revision: number;
  /** The draft as last saved, to tell whether there are unsaved changes. */
  saved: Draft;
  canUndo: boolean;
  canRedo: boolean;
}

const HISTORY_LIMIT = 200;
const NOTHING: Selection = { nodes: [], edges: [] };

export interface EditOptions {
  /**
   * Consecutive edits with the same key make one undo step (typing a label, dragging a step); `undefined` makes
   * each edit its own step.
   */
  mergeKey?: string;
}

export class EditorStore {
  private state: EditorState;
  private past: Draft[] = [];
  private future: Draft[] = [];
  private lastMergeKey: string | undefined;
  private listeners = new Set<() => void>();

  constructor(draft: Draft) {
    this.state = { draft, selection: NOTHING, revision: 0, saved: draft, canUndo: false, canRedo: false };
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  getState = () => this.state;

  private set(next: Partial<EditorState>) {
    this.state = { ...this.state, ...next, canUndo: this.past.length > 0, canRedo: this.future.length > 0 };
    for (const listener of this.listeners) listener();
  }

  /** Changes the draft as one undoable step (or part of the current one, see `mergeKey`). */
  edit(change: (draft: Draft) => Draft, options: EditOptions = {}) {
    const before = this.state.draft;
    const after = change(before);
    if (after === before) return;
    const merging = options.mergeKey !== undefined && options.mergeKey === this.lastMergeKey;
    if (!merging) {
      this.past.push(before);
      if (this.past.length > HISTORY_LIMIT) this.past.shift();
    }
    this.future = [];
    this.lastMergeKey = options.mergeKey;
    this.set({ draft: after });
  }

  /** Ends the current merged step, so the next edit is undone on its own. */
  settle() {
    this.lastMergeKey = undefined;
  }

  undo() {
    const previous = this.past.pop();
    if (!previous) return;
    this.future.push(this.state.draft);
    this.lastMergeKey = undefined;
    this.set({ draft: previous, revision: this.state.revision + 1, selection: this.keptSelection(previous) });
  }

  redo() {
    const next = this.future.pop();
    if (!next) return;
    this.past.push(this.state.draft);
    this.lastMergeKey = undefined;
    this.set({ draft: next, revision: this.state.revision + 1, selection: this.keptSelection(next) });
  }

  select(selection: Selection) {
    const same =
      selection.nodes.length === this.state.selection.nodes.length &&
      selection.edges.length === this.state.selection.edges.length &&
      selection.nodes.every((id, i) => this.state.selection.nodes[i] === id) &&
      selection.edges.every((id, i) => this.state.selection.edges[i] === id);
    if (!same) this.set({ selection });
  }

  /** Replaces the whole draft (a loaded or imported playbook); `saved` marks it as what the server has. */
  replace(draft: Draft, options: { saved?: boolean; undoable?: boolean } = {}) {
    if (options.undoable) this.past.push(this.state.draft);
    else this.past = [];
    this.future = [];
    this.lastMergeKey = undefined;
    this.set({
      draft,
      revision: this.state.revision + 1,
      selection: NOTHING,
      ...(options.saved ? { saved: draft } : {}),
    });
  }

  markSaved(draft: Draft) {
    this.set({ saved: draft });
  }

  private keptSelection(draft: Draft): Selection {
    const nodes = new Set(draft.nodes.map((n) => n.id));
    const edges = new Set(draft.edges.map((e) => e.id));
    return {
      nodes: this.state.selection.nodes.filter((id) => nodes.has(id)),
      edges: this.state.selection.edges.filter((id) => edges.has(id)),
    };
  }
}

export function useEditorState<T>(store: EditorStore, pick: (state: EditorState) => T): T {
  return useSyncExternalStore(store.subscribe, () => pick(store.getState()));
}
