import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { Issue } from '../../../engine/errors.js';
import { describeStepChange, type StepChange } from '../lifecycle/diff.js';
import { handleOffset } from './auto-layout.js';
import { typeName, type StepWords } from './describe-step.js';
import type { DraftNode } from './draft.js';

export interface StepCardData extends Record<string, unknown> {
  node: DraftNode;
  words: StepWords;
  outcomes: { handle: string; label: string; optional: boolean }[];
  issues: readonly Issue[];
  /** Runs overlay: accounts standing at this step now (undefined when the overlay is off). */
  count?: number;
  /** Preview: the simulated account passes through this step. */
  onPath: boolean;
  /** Comparing with a version: how this step differs from it (`removed`: a ghost of the version's step). */
  change?: StepChange;
}
export type StepCardNode = Node<StepCardData, 'step'>;

/**
 * One step on the canvas, in words. Memoised, and its data object is reused while the step is unchanged, so
 * dragging one step of 500 re-renders one card.
 */
export const StepCard = memo(function StepCard({ data, selected }: NodeProps<StepCardNode>) {
  const { node, words, outcomes, issues, count, onPath, change } = data;
  const ghost = change?.kind === 'removed';
  const classes = [
    'step-card',
    `type-${node.type}`,
    issues.length ? 'has-issues' : '',
    onPath ? 'on-path' : '',
    selected ? 'selected' : '',
    change ? `change-${change.kind}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} aria-label={`${typeName(node.type)} step ${node.label}`}>
      {node.type !== 'trigger' && (
        <Handle type="target" position={Position.Top} title={`Into ${node.label}`} isConnectable={!ghost} />
      )}
      <div className="step-kind">{typeName(node.type)}</div>
      {change && (
        <div className="step-change" data-testid={`node-change-${node.id}`}>
          {describeStepChange(change)}
        </div>
      )}
      <div className="step-label">{node.label}</div>
      <div className="step-headline">{words.headline}</div>
      {words.detail && <div className="step-detail">{words.detail}</div>}
      {issues.length > 0 && (
        <div
          className="step-issues"
          data-testid={`node-error-${node.id}`}
          title={issues.map((i) => i.message).join('\n')}
        >
          {issues.length} problem{issues.length === 1 ? '' : 's'}: {issues[0]?.message}
        </div>
      )}
      {count !== undefined && (
        <div className={`step-count${count > 0 ? ' busy' : ''}`} data-testid={`node-count-${node.id}`}>
          {count} account{count === 1 ? '' : 's'} here
        </div>
      )}
      {outcomes.map((outcome, i) => (
        <Handle
          key={outcome.handle}
          id={outcome.handle}
          type="source"
          position={Position.Bottom}
          className={outcome.optional ? 'outcome optional' : 'outcome'}
          isConnectable={!ghost}
          style={{ left: `${handleOffset(i, outcomes.length) * 100}%` }}
          title={outcome.optional ? `${outcome.label} (optional)` : outcome.label}
        >
          {(outcomes.length > 1 || outcome.optional) && <span className="handle-label">{outcome.label}</span>}
        </Handle>
      ))}
    </div>
  );
});
