// Transport names with no dependencies, so that the sandboxed preload can
// import them without pulling in the contract's schemas.

/** Channel names for Electron IPC: one prefix, so the preload can refuse anything else. */
export const IPC_PREFIX = 'lesiontrack:';

/** URL path under which both hosts stream an instance's bytes by database id. */
export const INSTANCE_PATH = '/instances/';
