// A head-like analytic phantom in anatomy coordinates, scanned as an axial
// stack in any position: skull shell, brain with a gentle texture, two
// ventricles, a fixed bright lesion and any lesions a test adds. For the
// alignment and subtraction tests, where the truth is known exactly.
import type { Volume } from '../../shared/registration';
import { voxelToPatient } from '../../shared/registration';
import { add, inverseMotionAffine, mulMatVec, norm, type RigidMotion, sub, type Vec3 } from '../../shared/vector';

export interface PhantomLesion {
  centre: Vec3;
  radiusMm: number;
}

export const AT_REST: RigidMotion = { rotationDeg: [0, 0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] };

/** Brighter than any tissue, as a T2 lesion on FLAIR. */
const LESION_VALUE = 400;

/** Width (mm) over which one tissue gives way to the next: the partial volume every MR image has. */
const EDGE_MM = 1;

/** The share of "inside" at a point whose ellipsoid radius ratio is `ratio` (1 on the surface), for an ellipsoid about `sizeMm` across. */
function inside(ratio: number, sizeMm: number): number {
  const depthMm = (1 - ratio) * sizeMm;
  return Math.min(1, Math.max(0, 0.5 + depthMm / EDGE_MM));
}

export function phantom([x, y, z]: Vec3, lesions: readonly PhantomLesion[] = []): number {
  const head = Math.sqrt((x / 70) ** 2 + (y / 90) ** 2 + (z / 60) ** 2);
  const brain = head / Math.sqrt(0.85);
  const ventricle = Math.sqrt(((Math.abs(x) - 12) / 6) ** 2 + (y / 25) ** 2 + ((z - 5) / 12) ** 2);
  let value = 150 + 30 * Math.sin(x / 9) * Math.cos(y / 11) * Math.cos(z / 13);
  const blend = (weight: number, tissue: number) => {
    value = weight * tissue + (1 - weight) * value;
  };
  blend(inside(Math.sqrt((x - 30) ** 2 + (y + 20) ** 2 + (z - 15) ** 2) / 6, 6), LESION_VALUE);
  for (const lesion of lesions) blend(inside(norm(sub([x, y, z], lesion.centre)) / lesion.radiusMm, lesion.radiusMm), LESION_VALUE);
  blend(inside(ventricle, 6), 40);
  // Skull between the brain and the head's surface, air outside.
  blend(1 - inside(brain, 60), 300);
  blend(1 - inside(head, 60), 5);
  return value;
}

/**
 * An axial stack of the phantom as positioned by `motion` (anatomy -> scanner),
 * with Gaussian noise of standard deviation `noise` (seeded, so a scan is the
 * same every run; none by default).
 */
export function scan(motion: RigidMotion, options: { spacing?: Vec3; dims?: [number, number, number]; lesions?: readonly PhantomLesion[]; noise?: number; seed?: number } = {}): Volume {
  const { spacing = [2, 2, 4], dims = [96, 112, 34], lesions = [], noise = 0, seed = 1 } = options;
  let state = seed;
  // A linear congruential stream and Box-Muller: plenty for test noise.
  const uniform = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return (state + 0.5) / 2 ** 31;
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const origin: Vec3 = [-95, -111, -66];
  const volume: Volume = { dims, data: new Float32Array(dims[0] * dims[1] * dims[2]), origin, axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], spacing };
  const { matrix, offset } = inverseMotionAffine(motion);
  for (let k = 0; k < dims[2]; k += 1) {
    for (let j = 0; j < dims[1]; j += 1) {
      for (let i = 0; i < dims[0]; i += 1) {
        const anatomy = add(mulMatVec(matrix, voxelToPatient(volume, i, j, k)), offset);
        volume.data[i + dims[0] * (j + dims[1] * k)] = phantom(anatomy, lesions) + (noise > 0 ? noise * gaussian() : 0);
      }
    }
  }
  return volume;
}
