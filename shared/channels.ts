// Transport names with no dependencies, so that the sandboxed preload can
// import them without pulling in the contract's schemas.

/** Channel names for Electron IPC: one prefix, so the preload can refuse anything else. */
export const IPC_PREFIX = 'lesiontrack:';

/** URL path under which both hosts stream an instance's bytes: by the store's identity, then the database id. */
export const INSTANCE_PATH = '/instances/';

/**
 * The path of one instance's bytes. It names the store that listed the
 * instance: ids start at 1 in every store, and the store can change under the
 * page (the demo in or out), so a path by id alone could fetch another
 * store's image, or find an image of the old store in the viewer's caches,
 * which key on the URL.
 */
export function instancePath(storeUid: string, instanceId: number): string {
  return `${INSTANCE_PATH}${storeUid}/${instanceId}`;
}

/** URL path under which both hosts serve derived images (a resampled comparator, a subtraction) as DICOM slices. */
export const DERIVED_PATH = '/derived/';

/** The images a subtraction result holds: the comparator resampled into the current series' grid, and the difference. */
export type DerivedKind = 'comparator' | 'difference';

/** The path of one slice of a derived image: by the store, the result, what it shows and the slice (0-based, in the current series' order). */
export function derivedPath(storeUid: string, resultId: string, kind: DerivedKind, slice: number): string {
  return `${DERIVED_PATH}${storeUid}/${resultId}/${kind}/${slice}`;
}
