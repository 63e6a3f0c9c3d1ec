import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { Issue } from '../../../engine/errors.js';
import { NODE_TYPES, type NodeType } from '../../../engine/playbook/nodes.js';
import type { DraftDiff, StepChange } from '../lifecycle/diff.js';
import { describeOutcome, describeStep } from './describe-step.js';
import type { DraftNode } from './draft.js';
import { addStep, connect, moveSteps, removeElements } from './edit-ops.js';
import { outcomesOf } from './outcomes.js';
import { StepCard, type StepCardData, type StepCardNode } from './step-card.js';
import { useEditorState, type EditorStore } from './store.js';
import type { Size } from './auto-layout.js';

export const PALETTE_MIME = 'application/x-stayflow-step';
const nodeTypes: NodeTypes = { step: StepCard };
const NO_ISSUES: readonly Issue[] = [];
const REMOVED: StepChange = { kind: 'removed', parts: [] };
/** Removed connections are drawn beside the draft's, whose ids they may share. */
const REMOVED_EDGE = 'removed:';

export interface CanvasOverlay {
  issuesByNode: ReadonlyMap<string, Issue[]>;
  /** Runs overlay: accounts per step, or undefined when off. */
  counts?: ReadonlyMap<string, number>;
  /** Preview: steps and connections the simulated account went through. */
  path: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> };
  triggers: unknown[];
  subjectOf: (templateKey: string) => string | undefined;
  /** Comparing with a published version: what differs, and the version's removed steps to draw ghosted. */
  diff?: DraftDiff;
}

interface CardInputs {
  node: DraftNode;
  issues: readonly Issue[];
  count: number | undefined;
  onPath: boolean;
  triggers: unknown[] | undefined;
  subjectOf: CanvasOverlay['subjectOf'];
  change: StepChange | undefined;
  data: StepCardData;
}

// The diff is recomputed on every edit while comparing; a card re-renders only when its own change differs.
const sameChange = (a: StepChange | undefined, b: StepChange | undefined) =>
  a === b || (!!a && !!b && a.kind === b.kind && a.parts.join() === b.parts.join());

/** Card data rebuilt only when something the card shows changed, so memoised cards skip re-rendering. */
function useCardData(overlay: CanvasOverlay) {
  const cache = useRef(new Map<string, CardInputs>());
  return (node: DraftNode, change?: StepChange): StepCardData => {
    const issues = overlay.issuesByNode.get(node.id) ?? NO_ISSUES;
    const count = overlay.counts ? (overlay.counts.get(node.id) ?? 0) : undefined;
    const onPath = overlay.path.nodes.has(node.id);
    const triggers = node.type === 'trigger' ? overlay.triggers : undefined;
    const hit = cache.current.get(node.id);
    if (
      hit &&
      hit.node === node &&
      hit.issues === issues &&
      hit.count === count &&
      hit.onPath === onPath &&
      hit.triggers === triggers &&
      hit.subjectOf === overlay.subjectOf &&
      sameChange(hit.change, change)
    )
      return hit.data;
    const data: StepCardData = {
      node,
      words: describeStep(node, { triggers, subjectOf: overlay.subjectOf }),
      outcomes: outcomesOf(node).map((o) => ({ ...o, label: describeOutcome(node, o.handle) })),
      issues,
      count,
      onPath,
      change,
    };
    cache.current.set(node.id, { node, issues, count, onPath, triggers, subjectOf: overlay.subjectOf, change, data });
    return data;
  };
}

export function PlaybookCanvas({
  store,
  overlay,
  sizes,
  onOpenStep,
  onOpened,
}: {
  store: EditorStore;
  overlay: CanvasOverlay;
  /** Measured card sizes, kept for the auto-layout. */
  sizes: Map<string, Size>;
  onOpenStep?: (id: string) => void;
  /** Called once, when the cards of the opened playbook have been measured. */
  onOpened?: () => void;
}) {
  const draft = useEditorState(store, (s) => s.draft);
  const selection = useEditorState(store, (s) => s.selection);
  const flow = useReactFlow<StepCardNode, Edge>();
  const cardData = useCardData(overlay);

  // Controlled nodes must carry their measured size back to React Flow (the minimap, fit view and handles use it).
  const [measured, setMeasured] = useState<ReadonlyMap<string, Size>>(() => new Map());
  const selectedNodes = useMemo(() => new Set(selection.nodes), [selection.nodes]);
  const selectedEdges = useMemo(() => new Set(selection.edges), [selection.edges]);
  const diff = overlay.diff;
  const nodes = useMemo(
    (): StepCardNode[] => [
      ...draft.nodes.map((node): StepCardNode => ({
        id: node.id,
        type: 'step',
        position: node.position,
        data: cardData(node, diff?.steps.get(node.id)),
        selected: selectedNodes.has(node.id),
        measured: measured.get(node.id),
        deletable: true,
      })),
      // The version's removed steps, where they stood: to look at, not to edit.
      ...(diff?.removedSteps ?? []).map((node): StepCardNode => ({
        id: node.id,
        type: 'step',
        position: node.position,
        data: cardData(node, REMOVED),
        measured: measured.get(node.id),
        className: 'ghost',
        selectable: false,
        draggable: false,
        connectable: false,
        deletable: false,
        focusable: false,
      })),
    ],
    // cardData reads the overlay; it is listed through its parts.
    [draft.nodes, selectedNodes, measured, overlay, diff],
  );
  const edges = useMemo((): Edge[] => {
    const byId = new Map(draft.nodes.map((n) => [n.id, n]));
    const drawn = draft.edges.map((edge): Edge => {
      const source = byId.get(edge.source);
      const handle = edge.sourceHandle ?? (source ? outcomesOf(source)[0]?.handle : undefined) ?? null;
      const onPath = overlay.path.edges.has(edge.id);
      const change = diff?.connections.get(edge.id)?.kind;
      return {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        sourceHandle: handle,
        selected: selectedEdges.has(edge.id),
        reconnectable: true,
        className: [
          onPath ? 'on-path' : '',
          handle === 'failed' ? 'failure-route' : '',
          change ? `change-${change}` : '',
        ]
          .filter(Boolean)
          .join(' '),
        animated: onPath,
      };
    });
    if (!diff) return drawn;
    // A removed connection leaves its step (drawn or ghosted) by the outcome it had; one whose outcome the step no
    // longer has cannot be drawn, and the step itself is marked changed.
    for (const ghost of diff.removedSteps) byId.set(ghost.id, ghost);
    for (const edge of diff.removedConnections) {
      const source = byId.get(edge.source);
      const outcomes = source ? outcomesOf(source).map((o) => o.handle) : [];
      const handle = edge.sourceHandle ?? outcomes[0];
      if (!handle || !outcomes.includes(handle) || !byId.has(edge.target)) continue;
      drawn.push({
        id: `${REMOVED_EDGE}${edge.id}`,
        source: edge.source,
        target: edge.target,
        sourceHandle: handle,
        className: 'change-removed',
        selectable: false,
        deletable: false,
        reconnectable: false,
        focusable: false,
      });
    }
    return drawn;
  }, [draft.edges, draft.nodes, selectedEdges, overlay.path.edges, diff]);

  // Once every card has its size, the editor decides how to open the playbook (lay it out, where to look).
  const initialized = useNodesInitialized();
  const opened = useRef(false);
  useEffect(() => {
    if (!initialized || opened.current) return;
    opened.current = true;
    requestAnimationFrame(() => onOpened?.());
  }, [initialized, onOpened]);

  const onNodesChange = useCallback(
    (changes: NodeChange<StepCardNode>[]) => {
      const moved = new Map<string, { x: number; y: number }>();
      const removed: string[] = [];
      let selectionChanged = false;
      const nextSelected = new Set(store.getState().selection.nodes);
      let dragEnded = false;
      const resized = new Map<string, Size>();
      for (const change of changes) {
        if (change.type === 'position' && change.position) {
          moved.set(change.id, { x: Math.round(change.position.x), y: Math.round(change.position.y) });
          if (change.dragging === false) dragEnded = true;
        } else if (change.type === 'position' && change.dragging === false) dragEnded = true;
        else if (change.type === 'remove') removed.push(change.id);
        else if (change.type === 'select') {
          selectionChanged = true;
          if (change.selected) nextSelected.add(change.id);
          else nextSelected.delete(change.id);
        } else if (change.type === 'dimensions' && change.dimensions) {
          sizes.set(change.id, change.dimensions);
          resized.set(change.id, change.dimensions);
        }
      }
      if (resized.size) setMeasured((previous) => new Map([...previous, ...resized]));
      if (moved.size) store.edit((d) => moveSteps(d, moved), { mergeKey: 'drag' });
      if (dragEnded) store.settle();
      if (removed.length) store.edit((d) => removeElements(d, removed, []));
      if (selectionChanged) store.select({ nodes: [...nextSelected], edges: store.getState().selection.edges });
    },
    [store, sizes],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const removed: string[] = [];
      const nextSelected = new Set(store.getState().selection.edges);
      let selectionChanged = false;
      for (const change of changes) {
        if (change.type === 'remove') removed.push(change.id);
        else if (change.type === 'select') {
          selectionChanged = true;
          if (change.selected) nextSelected.add(change.id);
          else nextSelected.delete(change.id);
        }
      }
      if (removed.length) store.edit((d) => removeElements(d, [], removed));
      if (selectionChanged) store.select({ nodes: store.getState().selection.nodes, edges: [...nextSelected] });
    },
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) =>
      store.edit((d) => connect(d, { source: c.source, sourceHandle: c.sourceHandle ?? null, target: c.target })),
    [store],
  );
  const onReconnect = useCallback(
    (old: Edge, c: Connection) =>
      store.edit((d) =>
        connect(d, { source: c.source, sourceHandle: c.sourceHandle ?? null, target: c.target }, old.id),
      ),
    [store],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!(NODE_TYPES as readonly string[]).includes(type)) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      let added = '';
      store.edit((d) => {
        const result = addStep(d, type as NodeType, {
          x: Math.round(position.x - 130),
          y: Math.round(position.y - 30),
        });
        added = result.id;
        return result.draft;
      });
      store.select({ nodes: [added], edges: [] });
      onOpenStep?.(added);
    },
    [flow, store, onOpenStep],
  );

  return (
    <ReactFlow<StepCardNode, Edge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      onReconnect={onReconnect}
      onNodeDragStart={() => store.settle()}
      onNodeDoubleClick={(_, node) => onOpenStep?.(node.id)}
      onDrop={onDrop}
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
      }}
      deleteKeyCode={['Delete', 'Backspace']}
      multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
      fitView
      fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
      minZoom={0.05}
      onlyRenderVisibleElements
      proOptions={{ hideAttribution: true }}
      aria-label="Playbook canvas"
    >
      <Background gap={20} />
      <Controls showInteractive={false} />
      <MiniMap
        pannable
        zoomable
        ariaLabel="Overview of the playbook"
        nodeColor={(n) => {
          const data = n.data as StepCardData;
          if (data.change?.kind === 'removed') return '#d3d7de';
          return data.issues.length ? '#b3261e' : '#7a869b';
        }}
      />
    </ReactFlow>
  );
}
