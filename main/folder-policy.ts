// Which folders the reader chose. In the desktop app the page may ask main to
// import only folders picked in the native dialog (or inside one), compared
// by their real paths so that "..", symlinks and case tricks do not widen it.
import { realpathSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';

function realPath(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null;
  }
}

/** True when `path` is `root` or inside it, once both are resolved on disk. */
export function isInsideFolder(path: string, root: string): boolean {
  const real = realPath(path);
  const realRoot = realPath(root);
  if (real === null || realRoot === null) return false;
  const rest = relative(realRoot, real);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
}

export interface ChosenFolders {
  remember(folder: string): void;
  allows(folder: string): boolean;
}

export function createChosenFolders(): ChosenFolders {
  const chosen = new Set<string>();
  return {
    remember(folder) {
      const real = realPath(folder);
      if (real !== null) chosen.add(real);
    },
    allows: (folder) => [...chosen].some((root) => isInsideFolder(folder, root)),
  };
}
