import type { Edge, ReactFlowInstance } from '@xyflow/react';
import type { StepCardNode } from './step-card.js';

/** Below this zoom a card's words are too small to read. */
const READABLE_ZOOM = 0.6;
const OPEN_ZOOM = 0.85;
/** Room under a card for its outcome labels. */
const LABEL_ROOM = 18;

type Flow = ReactFlowInstance<StepCardNode, Edge>;

/** Whether any two measured cards (with their outcome labels) cover each other. */
export function cardsOverlap(flow: Flow): boolean {
  const boxes = flow
    .getNodes()
    .map((n) => ({
      x: n.position.x,
      y: n.position.y,
      w: n.measured?.width ?? 0,
      h: (n.measured?.height ?? 0) + LABEL_ROOM,
    }))
    .sort((a, b) => a.x - b.x);
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i]!;
    for (let j = i + 1; j < boxes.length && boxes[j]!.x < a.x + a.w; j++) {
      const b = boxes[j]!;
      if (b.y < a.y + a.h && a.y < b.y + b.h) return true;
    }
  }
  return false;
}

/**
 * Shows the whole playbook when it is small enough to read that way; a long one (30 days of steps) opens at a
 * readable zoom with its start at the top, to be scrolled like a page.
 */
export function viewFromTop(flow: Flow, canvasWidth: number) {
  void flow.fitView({ padding: 0.15, maxZoom: 1 }).then(() => {
    if (flow.getZoom() >= READABLE_ZOOM) return;
    const all = flow.getNodes();
    const start = all.find((n) => n.data.node.type === 'trigger') ?? all[0];
    if (!start) return;
    const top = Math.min(...all.map((n) => n.position.y));
    const centerX = start.position.x + (start.measured?.width ?? 260) / 2;
    void flow.setViewport({ x: canvasWidth / 2 - centerX * OPEN_ZOOM, y: 24 - top * OPEN_ZOOM, zoom: OPEN_ZOOM });
  });
}
