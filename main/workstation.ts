// Everything a host needs, put together once: the store, the services, the
// dispatcher of the contract and the handler of the app's own GET requests.
// The Electron shell, the browser host and the tests all start here.
//
// A workstation has one store open at a time: the trial's, or the demo
// trial's (which lives in its own file so that synthetic participants never
// mix with real ones). Switching swaps the store under the same dispatcher.
import { createClient } from '../shared/client';
import { changesStore } from '../shared/contract';
import { demoPaths, ensureDemoFiles, organiseDemoStore } from './demo/demo-store';
import { isInsideFolder } from './folder-policy';
import { type AppRequestHandler, createAppRequestHandler } from './host/app-requests';
import { createDispatch, type Dispatch, ServiceError } from './services/dispatch';
import { createBlinding } from './reads/blinding';
import { readReadingDesign } from './reads/tracks';
import { createServices, type HostCapabilities } from './services/services';
import { createSession } from './services/session';
import { type Backup, backupBeforeMigration, backupIfDue, latestHealthyBackup } from './store/backups';
import { type Db, openDatabase, schemaVersion } from './store/database';
import { migrations } from './store/migrations';
import { checkStore } from './store/integrity';
import { signedReadProblems } from './reads/store-check';
import { readSessionSettings } from './store/settings';

export interface WorkstationOptions {
  dbPath: string;
  actor: string;
  rendererDir: string;
  host?: HostCapabilities;
  /** The built header worker (dist/main/header-worker.js); tests may leave it out. */
  headerWorkerFile?: string | undefined;
  /** The built demo worker (dist/main/demo-worker.js); without it the demo is written on this thread. */
  demoWorkerFile?: string | undefined;
  /** The built alignment worker (dist/main/alignment-worker.js); without it alignment and subtraction run on this thread. */
  alignmentWorkerFile?: string | undefined;
  /** Computes derived images in the background once series are placed: the app does; tests and one-shot commands compute only what they ask for. */
  precomputeDerived?: boolean;
  log?: (line: string) => void;
  /** Milliseconds now, for reader sessions' idle limit; tests move it on instead of waiting. */
  clock?: () => number;
}

/** The store failed its checks at start: it is not opened, and the newest healthy backup is offered. */
export class StoreDamagedError extends Error {
  override name = 'StoreDamagedError';
  constructor(
    readonly dbPath: string,
    readonly problems: readonly string[],
    readonly latestBackup: Backup | null,
  ) {
    super(
      `The LesionTrack store failed its checks at start and was not opened:\n${problems.join('\n')}\n` +
        (latestBackup ? `The newest healthy backup is from ${latestBackup.takenAt.toISOString()}: ${latestBackup.path}` : 'No healthy backup was found.'),
    );
  }
}

/** Opens a store after SQLite's check and the audit chain check; a damaged file is refused untouched. */
export function openCheckedDatabase(dbPath: string): Db {
  const refuse = (problems: string[]) => new StoreDamagedError(dbPath, problems, latestHealthyBackup(dbPath));
  try {
    const db = openDatabase(dbPath, undefined, (unmigrated) => {
      const health = checkStore(unmigrated);
      if (!health.ok) throw refuse(health.problems);
      // A store about to be migrated is copied first: a migration is the one change the app makes on its own.
      const version = schemaVersion(unmigrated);
      if (version > 0 && version < migrations.at(-1)!.version) backupBeforeMigration(unmigrated, dbPath);
    });
    // Signed reads are rebuilt by this version's code, so on this version's schema, after the checks above.
    const problems = signedReadProblems(db);
    if (problems.length > 0) {
      db.close();
      throw refuse(problems);
    }
    return db;
  } catch (error) {
    if (error instanceof StoreDamagedError) throw error;
    // "file is not a database", "database disk image is malformed": SQLite cannot even start reading it.
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw refuse([`SQLite cannot read the file: ${(error as Error).message}`]);
    throw error;
  }
}

export interface Workstation {
  /** The store in use now. */
  readonly db: Db;
  dispatch: Dispatch;
  handleAppRequest: AppRequestHandler;
  /** Opens the demo trial's store, generating and importing it on first use. */
  openDemo(): Promise<void>;
  close(): void;
}

interface OpenStore {
  db: Db;
  dispatch: Dispatch;
  handleAppRequest: AppRequestHandler;
  demo: boolean;
  /** Work under way for this store (alignments, subtractions) stops when it closes. */
  closing: AbortController;
}

function closeStore(store: OpenStore): void {
  store.closing.abort();
  store.db.close();
}

export function openWorkstation(options: WorkstationOptions): Workstation {
  const demo = demoPaths(options.dbPath);
  let switching = false;

  function openStore(dbPath: string, isDemo: boolean): OpenStore {
    const db = openCheckedDatabase(dbPath);
    // A reader chosen in one store means nothing in another: each store opens with nobody chosen.
    const session = createSession({ fallbackActor: options.actor, idleLimitMs: () => readSessionSettings(db).idleMinutes * 60_000, now: options.clock ?? Date.now });
    // A copy a day beside the store; a backup cut short by closing the store is simply retried next start.
    backupIfDue(db, dbPath).catch((error: unknown) => options.log?.(`backup skipped: ${error instanceof Error ? error.message : String(error)}`));
    const blinding = createBlinding(session, () => readReadingDesign(db));
    const closing = new AbortController();
    const services = createServices({
      db,
      session,
      blinding,
      host: withDemoFolder(options.host ?? {}, demo.trialFolder),
      headerWorkerFile: options.headerWorkerFile,
      alignmentWorkerFile: options.alignmentWorkerFile,
      closing: closing.signal,
      precomputeDerived: options.precomputeDerived,
      log: options.log,
      workspace: {
        demo: isDemo,
        openDemo: () => workstation.openDemo(),
        leaveDemo: () => switchTo(options.dbPath, false),
      },
    });
    const dispatch = createDispatch(services, { log: options.log, admit: (name) => session.admit(changesStore(name)) });
    return { db, dispatch, handleAppRequest: createAppRequestHandler({ rendererDir: options.rendererDir, db, blinding }), demo: isDemo, closing };
  }

  let current = openStore(options.dbPath, false);

  async function switchTo(dbPath: string, isDemo: boolean, prepare?: (store: OpenStore) => Promise<void>): Promise<void> {
    if (current.demo === isDemo) return;
    if (switching) throw new ServiceError('conflict', 'The workstation is already switching stores.');
    switching = true;
    try {
      const next = openStore(dbPath, isDemo);
      try {
        await prepare?.(next);
      } catch (error) {
        closeStore(next);
        throw error;
      }
      const previous = current;
      current = next;
      closeStore(previous);
    } finally {
      switching = false;
    }
  }

  const workstation: Workstation = {
    get db() {
      return current.db;
    },
    dispatch: (name, payload) => current.dispatch(name, payload),
    handleAppRequest: (request) => current.handleAppRequest(request),
    openDemo: () =>
      switchTo(demo.dbPath, true, async (store) => {
        const truth = await ensureDemoFiles(demo, options.demoWorkerFile);
        await organiseDemoStore(createClient(store.dispatch), truth, demo.trialFolder);
      }),
    close: () => closeStore(current),
  };
  return workstation;
}

/** The demo trial's own folder may always be imported: main chose it, not the page. */
function withDemoFolder(host: HostCapabilities, demoFolder: string): HostCapabilities {
  const { mayImport } = host;
  return mayImport ? { ...host, mayImport: (folder) => isInsideFolder(folder, demoFolder) || mayImport(folder) } : host;
}
