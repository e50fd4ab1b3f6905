// The Electron shell: one secure window over the same workstation the
// browser host serves. Deliberately thin; everything it calls runs and is
// tested under plain Node (see docs/TOOLCHAIN.md: Electron cannot run on the
// build machines).
import { join } from 'node:path';
import { type BrowserWindow, app, dialog, ipcMain, protocol, session } from 'electron';
import { resolveDatabasePath } from '../config';
import { createChosenFolders } from '../folder-policy';
import { restoreBackup } from '../store/backups';
import { StoreDamagedError, type Workstation, openWorkstation } from '../workstation';
import { registerIpcHandlers } from './ipc';
import { APP_SCHEME, denyAllPermissions, guardWebContents, isAppUrl } from './security';
import { createMainWindow } from './window';

// Must happen before "ready": a standard, secure scheme gets an origin, fetch,
// workers and streaming, like https, without opening any network.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } }]);

/** The value after `--db`, if given; Electron passes its own flags too. */
export function databaseArgument(argv: readonly string[]): string | undefined {
  const index = argv.indexOf('--db');
  return index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith('--db='))?.slice('--db='.length);
}

let mainWindow: BrowserWindow | null = null;
const chosenFolders = createChosenFolders();

/** A damaged store is never opened: the reader may put the newest healthy backup in its place. */
async function offerRestore(error: StoreDamagedError): Promise<boolean> {
  const backup = error.latestBackup!;
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'LesionTrack',
    message: 'The LesionTrack data failed its checks and was not opened.',
    detail: `${error.problems.join('\n')}\n\nRestore the newest healthy backup (${backup.takenAt.toLocaleString()})? The damaged file is kept beside it, renamed.`,
    buttons: ['Restore backup', 'Quit'],
    defaultId: 0,
    cancelId: 1,
  });
  return response === 0;
}

async function start(): Promise<void> {
  let workstation: Workstation;
  const dbPath = resolveDatabasePath({ db: databaseArgument(process.argv), dataFolder: app.getPath('userData') });
  try {
    workstation = openWorkstation({
      dbPath,
      actor: `local:${app.getName()}`,
      rendererDir: join(__dirname, '..', 'renderer'),
      headerWorkerFile: join(__dirname, '..', 'main', 'header-worker.js'),
      demoWorkerFile: join(__dirname, '..', 'main', 'demo-worker.js'),
      alignmentWorkerFile: join(__dirname, '..', 'main', 'alignment-worker.js'),
      precomputeDerived: true,
      host: {
        chooseFolder: async () => {
          const options = { title: 'Choose a folder of DICOM files', properties: ['openDirectory' as const] };
          const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
          const folder = result.canceled ? null : (result.filePaths[0] ?? null);
          if (folder !== null) chosenFolders.remember(folder);
          return folder;
        },
        mayImport: (folder) => chosenFolders.allows(folder),
      },
    });
  } catch (error) {
    if (error instanceof StoreDamagedError && error.latestBackup && (await offerRestore(error))) {
      restoreBackup(dbPath, error.latestBackup.path);
      return start();
    }
    dialog.showErrorBox('LesionTrack cannot open its data', `${dbPath}\n\n${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
    return;
  }
  if (process.argv.includes('--demo')) {
    await workstation.openDemo().catch((error: unknown) => dialog.showErrorBox('The demo trial could not be opened', error instanceof Error ? error.message : String(error)));
  }
  denyAllPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => (isAppUrl(request.url) ? workstation.handleAppRequest(request) : Promise.resolve(new Response('Not found.', { status: 404 }))));
  registerIpcHandlers(ipcMain, workstation.dispatch);
  app.on('will-quit', () => workstation.close());
  mainWindow = createMainWindow({ preloadFile: join(__dirname, 'preload.cjs'), devTools: !app.isPackaged });
}

if (!app.requestSingleInstanceLock()) {
  // Two processes writing one store would race; the first one gets the focus.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(start);
}
