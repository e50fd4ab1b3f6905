// Where the workstation keeps its data, resolved the same way by the app,
// the browser host and the CLI so that all three open the same store.
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'LesionTrack';
export const DB_ENV = 'LESIONTRACK_DB';
const DB_FILE = 'lesiontrack.sqlite';

/** Electron's userData folder for this product, computed without Electron. */
export function defaultDataFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}

/** --db wins, then the environment variable, then the data folder. */
export function resolveDatabasePath(options: { db?: string | undefined; dataFolder?: string }, env: NodeJS.ProcessEnv = process.env): string {
  return options.db ?? env[DB_ENV] ?? join(options.dataFolder ?? defaultDataFolder(env), DB_FILE);
}

/** Who is acting, for the audit trail, until reader profiles exist. */
export function localActor(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return 'local:unknown';
  }
}
