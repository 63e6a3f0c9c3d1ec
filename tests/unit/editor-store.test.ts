import { describe, expect, it } from 'vitest';
import { draftFrom, type Draft } from '../../editor/src/canvas/draft.js';
import { addStep, moveSteps, updateStep } from '../../editor/src/canvas/edit-ops.js';
import { EditorStore } from '../../editor/src/canvas/store.js';

// The editor's store (editor/src/canvas/store.ts): undo and redo of drafts, edits merged into one undo step
// (typing, dragging), the selection kept to what exists, and whether there is anything unsaved.

const empty = (): Draft =>
  draftFrom({ key: 'k', name: 'K', nodes: [{ id: 'start', type: 'trigger', config: {} }] }, 'k');
const ids = (store: EditorStore) => store.getState().draft.nodes.map((n) => n.id);
const add = (store: EditorStore) => store.edit((d) => addStep(d, 'end', { x: 0, y: 0 }).draft);

describe('EditorStore', () => {
  it('undoes and redoes edits one at a time; a new edit drops what could be redone', () => {
    const store = new EditorStore(empty());
    add(store);
    add(store);
    expect(ids(store)).toEqual(['start', 'end1', 'end2']);
    store.undo();
    expect(ids(store)).toEqual(['start', 'end1']);
    expect(store.getState()).toMatchObject({ canUndo: true, canRedo: true });
    store.redo();
    expect(ids(store)).toEqual(['start', 'end1', 'end2']);
    store.undo();
    store.undo();
    add(store);
    expect(store.getState().canRedo).toBe(false);
    store.undo();
    store.undo();
    expect(ids(store)).toEqual(['start']);
    expect(store.getState().canUndo).toBe(false);
  });

  it('makes one undo step of a drag or of typing, until it settles', () => {
    const store = new EditorStore(empty());
    for (const x of [10, 20, 30])
      store.edit((d) => moveSteps(d, new Map([['start', { x, y: 0 }]])), { mergeKey: 'drag' });
    store.settle();
    store.edit((d) => moveSteps(d, new Map([['start', { x: 99, y: 0 }]])), { mergeKey: 'drag' });
    store.undo();
    expect(store.getState().draft.nodes[0]!.position).toEqual({ x: 30, y: 0 });
    store.undo();
    expect(store.getState().draft.nodes[0]!.position).toEqual({ x: 0, y: 0 });
  });

  it('records no undo step for an edit that changed nothing', () => {
    const store = new EditorStore(empty());
    store.edit((d) => moveSteps(d, new Map()));
    expect(store.getState().canUndo).toBe(false);
  });

  it('keeps the selection to steps that still exist after undo, and bumps the revision forms re-read', () => {
    const store = new EditorStore(empty());
    add(store);
    store.select({ nodes: ['start', 'end1'], edges: [] });
    const revision = store.getState().revision;
    store.undo();
    expect(store.getState().selection).toEqual({ nodes: ['start'], edges: [] });
    expect(store.getState().revision).toBe(revision + 1);
    // An edit from a form does not bump it: the form is where it came from.
    store.edit((d) => updateStep(d, 'start', { label: 'Begin' }));
    expect(store.getState().revision).toBe(revision + 1);
  });

  it('tells unsaved changes from saved ones, and replaces a draft undoably or not', () => {
    const store = new EditorStore(empty());
    const unsaved = () => store.getState().draft !== store.getState().saved;
    expect(unsaved()).toBe(false);
    add(store);
    expect(unsaved()).toBe(true);
    store.markSaved(store.getState().draft);
    expect(unsaved()).toBe(false);

    const imported = draftFrom({ key: 'k', name: 'Imported', nodes: [] }, 'k');
    store.replace(imported, { undoable: true });
    expect(store.getState().draft).toBe(imported);
    store.undo();
    expect(ids(store)).toEqual(['start', 'end1']);
    store.replace(imported, { saved: true });
    expect(store.getState()).toMatchObject({ canUndo: false, canRedo: false });
    expect(unsaved()).toBe(false);
  });

  it('tells its subscribers about every change, and only changes of the selection that are real', () => {
    const store = new EditorStore(empty());
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    add(store);
    store.select({ nodes: ['start'], edges: [] });
    store.select({ nodes: ['start'], edges: [] });
    expect(calls).toBe(2);
    unsubscribe();
    add(store);
    expect(calls).toBe(2);
  });
});
