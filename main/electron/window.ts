// The one window. Its web preferences are written out literally, here and
// nowhere else, so that a reviewer (and electronegativity) sees every
// setting at the place the window is made.
import { BrowserWindow } from 'electron';
import { APP_START_URL } from './security';

export function createMainWindow(options: { preloadFile: string; devTools: boolean }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    show: false,
    backgroundColor: '#101418',
    title: 'LesionTrack',
    webPreferences: {
      // Reviewed: preload.ts exposes one invoke() on the app's IPC prefix, nothing else.
      preload: options.preloadFile, // eng-disable PRELOAD_JS_CHECK
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
      // Middle-click would otherwise try to open links in new windows.
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_START_URL);
  return window;
}
