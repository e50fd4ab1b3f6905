// The patient direction at each edge of a shown slice (shared/orientation.ts), inside a viewer overlay.
import { edgeLabels } from '../../../shared/orientation';

const EDGES = ['left', 'right', 'top', 'bottom'] as const;

export function EdgeLabels({ orientation }: { orientation: readonly number[] | null | undefined }) {
  if (!orientation) return null;
  const letters = edgeLabels(orientation);
  return EDGES.map((edge) => (
    <span key={edge} className={`edge edge-${edge}`} data-testid={`edge-${edge}`}>
      {letters[edge]}
    </span>
  ));
}
