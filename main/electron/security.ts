// The shell's security settings in one place, so that tests and reviewers
// read them here: Electron's checklist (docs/tutorial/security.md) applied to
// the one window and to any web contents that might ever be created.
import type { Session, WebContents } from 'electron';

/** The app is served from its own privileged scheme, never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'lesiontrack';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** Parsed, not prefix-matched: "app://lesiontrack.evil" must not pass. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** No navigation away from the app, no new windows, no embedded webviews. */
export function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Electron grants every permission by default; the app needs none. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
