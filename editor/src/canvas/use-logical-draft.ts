import { useRef } from 'react';
import type { Draft } from './draft.js';

/**
 * The draft as far as its meaning goes: the same object for as long as only positions change. Moving a card
 * makes a new draft every frame; what depends on meaning (the compiler, the pickers' lists) keys on this
 * instead, so dragging a step of a 500-step playbook does not recompile it 60 times a second.
 */
export function useLogicalDraft(draft: Draft): Draft {
  const previous = useRef(draft);
  const last = previous.current;
  const sameMeaning =
    last === draft ||
    (last.edges === draft.edges &&
      last.triggers === draft.triggers &&
      last.enrollment === draft.enrollment &&
      last.exit === draft.exit &&
      last.name === draft.name &&
      last.description === draft.description &&
      last.nodes.length === draft.nodes.length &&
      draft.nodes.every((node, i) => {
        const before = last.nodes[i]!;
        return (
          before.id === node.id &&
          before.type === node.type &&
          before.label === node.label &&
          before.config === node.config
        );
      }));
  if (!sameMeaning) previous.current = draft;
  return previous.current;
}
