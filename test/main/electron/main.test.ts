// The shell's start-up with electron mocked: scheme, protocol, IPC, window
// settings, permissions, the single-instance lock and a store that will not open.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { backupStore } from '../../../main/store/backups';
import { openDatabase } from '../../../main/store/database';
import { IPC_PREFIX } from '../../../shared/contract';
import { tempFolder } from '../../helpers/fixtures';
import { REQUEST_NAMES } from '../../helpers/request-names';

const electron = vi.hoisted(() => {
  const state = {
    lock: true,
    userData: '',
    appEvents: new Map<string, (...args: unknown[]) => void>(),
    ready: Promise.resolve(),
    privileged: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    ipcChannels: [] as string[],
    windows: [] as { options: Record<string, unknown>; url?: string }[],
    permissionHandlerSet: false,
    errorBoxes: [] as string[],
    messageBoxes: [] as string[],
    messageBoxAnswer: 0,
    quit: 0,
    exitCode: undefined as number | undefined,
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    constructor(readonly options: Record<string, unknown>) {
      electron.windows.push({ options });
    }
    once() {}
    loadURL(url: string) {
      electron.windows.at(-1)!.url = url;
      return Promise.resolve();
    }
  }
  return {
    BrowserWindow,
    app: {
      isPackaged: true,
      getName: () => 'LesionTrack',
      getPath: () => electron.userData,
      requestSingleInstanceLock: () => electron.lock,
      quit: () => electron.quit++,
      exit: (code: number) => (electron.exitCode = code),
      on: (name: string, listener: (...args: unknown[]) => void) => electron.appEvents.set(name, listener),
      whenReady: () => electron.ready,
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => electron.privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => electron.protocolHandlers.set(scheme, handler),
    },
    ipcMain: { handle: (channel: string) => electron.ipcChannels.push(channel) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => (electron.permissionHandlerSet = true),
        setPermissionCheckHandler: () => {},
        setDevicePermissionHandler: () => {},
      },
    },
    dialog: {
      showErrorBox: (title: string, text: string) => electron.errorBoxes.push(`${title}\n${text}`),
      showOpenDialog: vi.fn(),
      showMessageBox: async (options: { detail: string }) => {
        electron.messageBoxes.push(options.detail);
        return { response: electron.messageBoxAnswer };
      },
    },
  };
});

async function startShell(argv: string[] = []): Promise<void> {
  const saved = process.argv;
  process.argv = ['electron', '.', ...argv];
  try {
    await import('../../../main/electron/main');
    await electron.ready;
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.argv = saved;
  }
}

beforeEach(() => {
  vi.resetModules();
  Object.assign(electron, { lock: true, userData: tempFolder(), privileged: [], ipcChannels: [], windows: [], errorBoxes: [], messageBoxes: [], messageBoxAnswer: 0, quit: 0, exitCode: undefined, permissionHandlerSet: false });
  electron.appEvents.clear();
  electron.protocolHandlers.clear();
});

describe('Electron shell', () => {
  it('registers the app scheme as standard and secure before anything loads', async () => {
    await startShell();
    expect(electron.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } }]);
  });

  it('opens one window with the secure settings on the app URL', async () => {
    await startShell();
    expect(electron.windows).toHaveLength(1);
    const [window] = electron.windows;
    expect(window!.url).toBe('app://lesiontrack/index.html');
    expect(window!.options.webPreferences).toEqual({
      preload: expect.stringMatching(/preload\.cjs$/),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
      devTools: false,
    });
    expect(electron.permissionHandlerSet).toBe(true);
    expect([...electron.appEvents.keys()]).toEqual(expect.arrayContaining(['second-instance', 'web-contents-created', 'window-all-closed', 'will-quit']));
  });

  it('handles every contract request over IPC and the app protocol by id', async () => {
    await startShell();
    expect(electron.ipcChannels.sort()).toEqual(REQUEST_NAMES.map((name) => `${IPC_PREFIX}${name}`).sort());
    const handler = electron.protocolHandlers.get('app')!;
    expect((await handler(new Request('app://lesiontrack/instances/not-an-id'))).status).toBe(400);
    expect((await handler(new Request('app://lesiontrack/instances/7'))).status).toBe(400);
    expect((await handler(new Request(`app://lesiontrack/instances/${'0'.repeat(32)}/7`))).status).toBe(404);
    expect((await handler(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it('keeps its store in the user data folder unless --db says otherwise', async () => {
    const chosen = join(tempFolder(), 'chosen.sqlite');
    await startShell(['--db', chosen]);
    const { existsSync } = await import('node:fs');
    expect(existsSync(chosen)).toBe(true);
    expect(existsSync(join(electron.userData, 'lesiontrack.sqlite'))).toBe(false);
  });

  it('leaves a second instance to the first one', async () => {
    electron.lock = false;
    await startShell();
    expect(electron.quit).toBe(1);
    expect(electron.windows).toHaveLength(0);
    expect(electron.ipcChannels).toHaveLength(0);
  });

  it('explains a store it cannot open and exits without a window', async () => {
    const notAFile = join(tempFolder(), 'a-folder.sqlite');
    mkdirSync(notAFile);
    await startShell(['--db', notAFile]);
    expect(electron.exitCode).toBe(1);
    expect(electron.errorBoxes[0]).toContain('LesionTrack cannot open its data');
    expect(electron.errorBoxes[0]).toContain(notAFile);
    expect(electron.windows).toHaveLength(0);
  });

  it('offers the newest healthy backup for a damaged store and opens it when the reader agrees', async () => {
    const dbPath = join(tempFolder(), 'trial.sqlite');
    const db = openDatabase(dbPath);
    await backupStore(db, dbPath, new Date('2030-01-01T00:00:00Z'));
    db.close();
    writeFileSync(dbPath, Buffer.alloc(8192, 0x5a));
    await startShell(['--db', dbPath]);
    // The reader's answer to the dialog arrives asynchronously: wait for the window it leads to.
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1), { timeout: 20_000 });
    expect(electron.messageBoxes[0]).toMatch(/SQLite cannot read the file/);
    expect(readdirSync(join(dbPath, '..')).filter((name) => name.includes('.damaged-'))).toHaveLength(1);
  });

  it('quits without touching a damaged store when the reader declines the backup', async () => {
    const dbPath = join(tempFolder(), 'trial.sqlite');
    const db = openDatabase(dbPath);
    await backupStore(db, dbPath, new Date('2030-01-01T00:00:00Z'));
    db.close();
    writeFileSync(dbPath, Buffer.alloc(8192, 0x5a));
    electron.messageBoxAnswer = 1;
    await startShell(['--db', dbPath]);
    await vi.waitFor(() => expect(electron.exitCode).toBe(1), { timeout: 20_000 });
    expect(electron.windows).toHaveLength(0);
    expect(readFileSync(dbPath)).toEqual(Buffer.alloc(8192, 0x5a));
  });
});
