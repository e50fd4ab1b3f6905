// The patient direction at each edge of a shown slice (shared/orientation.ts), inside a viewer overlay.
import { edgeLabels } from '../../../shared/orientation';

export function EdgeLabels({ orientation }: { orientation: readonly number[] | null | undefined }) {
  if (!orientation) return null;
  const edges = edgeLabels(orientation);
  return (
    <>
      <span className="edge edge-left" data-testid="edge-left">
        {edges.left}
      </span>
      <span className="edge edge-right" data-testid="edge-right">
        {edges.right}
      </span>
      <span className="edge edge-top" data-testid="edge-top">
        {edges.top}
      </span>
      <span className="edge edge-bottom" data-testid="edge-bottom">
        {edges.bottom}
      </span>
    </>
  );
}
