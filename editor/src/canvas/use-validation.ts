import { useDeferredValue, useMemo } from 'react';
import type { Issue } from '../../../engine/errors.js';
import { compilePlaybook } from '../../../engine/playbook/compile.js';
import type { CompileContext, CompiledPlaybook } from '../../../engine/playbook/ir.js';
import { definitionOf, type Draft } from './draft.js';

export interface Validation {
  issues: Issue[];
  /** Issues of each step, for the markers on the canvas. */
  byNode: ReadonlyMap<string, Issue[]>;
  /** The compiled playbook when there is no issue: what the preview runs and what publishing would make. */
  compiled?: CompiledPlaybook;
  /** True while the shown result is for an older draft (typing faster than compiling). */
  stale: boolean;
}

const NO_ISSUES: Issue[] = [];

/** Compiles the draft with the engine's compiler, as the server will, after each edit. */
export function useValidation(draft: Draft, context: CompileContext | undefined): Validation {
  // Compiling a 500-step playbook takes a few milliseconds; deferring keeps typing and dragging ahead of it.
  const deferred = useDeferredValue(draft);
  const result = useMemo(() => compilePlaybook(definitionOf(deferred), context ?? {}), [deferred, context]);
  return useMemo(() => {
    const issues = result.ok ? NO_ISSUES : result.issues;
    const byNode = new Map<string, Issue[]>();
    for (const issue of issues) {
      if (issue.nodeId === undefined) continue;
      byNode.set(issue.nodeId, [...(byNode.get(issue.nodeId) ?? []), issue]);
    }
    return { issues, byNode, compiled: result.ok ? result.playbook : undefined, stale: deferred !== draft };
  }, [result, deferred, draft]);
}
