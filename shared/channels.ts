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
