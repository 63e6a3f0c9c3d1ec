import { NODE_TYPES, type NodeType } from '../../../engine/playbook/nodes.js';
import { typeName } from './describe-step.js';
import { PALETTE_MIME } from './playbook-canvas.js';

/**
 * Every node type the engine knows, in its order. Drag one onto the canvas, or press it to drop it in the
 * middle of the view (the keyboard's way to add a step).
 */
export function Palette({ onAdd }: { onAdd: (type: NodeType) => void }) {
  return (
    <nav className="palette" aria-label="Steps">
      <h2>Steps</h2>
      <ul>
        {NODE_TYPES.map((type) => (
          <li key={type}>
            <button
              type="button"
              className={`palette-item type-${type}`}
              data-testid={`palette-item-${type}`}
              draggable
              onDragStart={(event) => {
                event.dataTransfer.setData(PALETTE_MIME, type);
                event.dataTransfer.effectAllowed = 'move';
              }}
              onClick={() => onAdd(type)}
              title={`Drag onto the canvas, or press to add a ${typeName(type).toLowerCase()} step`}
            >
              {typeName(type)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
