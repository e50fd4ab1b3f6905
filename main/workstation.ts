// Everything a host needs, put together once: the store, the services, the
// dispatcher of the contract and the handler of the app's own GET requests.
// The Electron shell, the browser host and the tests all start here.
import { createAppRequestHandler, type AppRequestHandler } from './host/app-requests';
import { createDispatch, type Dispatch } from './services/dispatch';
import { createServices, type HostCapabilities } from './services/services';
import { createSession } from './services/session';
import { type Db, openDatabase } from './store/database';

export interface WorkstationOptions {
  dbPath: string;
  actor: string;
  rendererDir: string;
  host?: HostCapabilities;
  /** The built header worker (dist/main/header-worker.js); tests may leave it out. */
  headerWorkerFile?: string;
  log?: (line: string) => void;
}

export interface Workstation {
  db: Db;
  dispatch: Dispatch;
  handleAppRequest: AppRequestHandler;
  close(): void;
}

export function openWorkstation(options: WorkstationOptions): Workstation {
  const db = openDatabase(options.dbPath);
  const services = createServices({ db, session: createSession(options.actor), host: options.host ?? {}, headerWorkerFile: options.headerWorkerFile });
  return {
    db,
    dispatch: createDispatch(services, options.log),
    handleAppRequest: createAppRequestHandler({ rendererDir: options.rendererDir, db }),
    close: () => db.close(),
  };
}
