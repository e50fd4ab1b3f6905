// One series of a synthetic study rendered straight into a volume in patient
// coordinates, without writing DICOM: what the detection bench and the
// subtraction tests read, the same pixels the generator writes to files.
import type { Volume } from '../registration';
import { cross, type Vec3 } from '../vector';
import type { ParticipantDesign } from './design';
import { SeriesRenderer } from './render';
import { positionOrder, protocolFor, type SeriesRole } from './series';

export function renderVolume(seed: string, participant: ParticipantDesign, visitIndex: number, role: SeriesRole): Volume {
  const protocol = protocolFor(role);
  const order = positionOrder(protocol);
  const renderer = new SeriesRenderer(seed, participant, visitIndex, protocol);
  const { rows, columns, pixelSpacing } = protocol;
  const pixels = new Uint16Array(rows * columns);
  const data = new Float32Array(rows * columns * order.length);
  order.forEach((instance, slice) => {
    renderer.render(instance, pixels);
    data.set(pixels, slice * rows * columns);
  });
  const first = protocol.slices[order[0]!]!;
  const normal: Vec3 = cross(first.rowDirection, first.columnDirection);
  return {
    dims: [columns, rows, order.length],
    data,
    origin: first.position,
    axes: [first.rowDirection, first.columnDirection, normal],
    spacing: [pixelSpacing[1], pixelSpacing[0], protocol.spacingBetweenSlices],
  };
}
