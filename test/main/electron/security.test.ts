// The shell's security settings, checked on the objects Electron would get.
import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { APP_START_URL, denyAllPermissions, guardWebContents, isAppUrl } from '../../../main/electron/security';

type Listener = (event: { preventDefault(): void }, url?: string) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: Listener) => listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  };
  guardWebContents(contents as unknown as WebContents);
  return {
    /** True when the guard let the event through. */
    allows(name: string, url?: string): boolean {
      const event = { preventDefault: vi.fn() };
      listeners.get(name)!(event, url);
      return event.preventDefault.mock.calls.length === 0;
    },
    openWindow: (url: string) => openHandler!({ url }).action,
  };
}

describe('app URLs', () => {
  it.each([
    ['app://lesiontrack/index.html', true],
    ['app://lesiontrack/instances/3', true],
    [APP_START_URL, true],
    ['app://lesiontrack.evil.example/index.html', false],
    ['app://user@lesiontrack/index.html', false],
    ['app://other/index.html', false],
    ['https://lesiontrack/index.html', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
    ['', false],
  ])('%s -> %s', (url, expected) => expect(isAppUrl(url)).toBe(expected));
});

describe('web contents guard', () => {
  it('denies every new window', () => {
    const contents = fakeContents();
    expect(contents.openWindow('https://example.org/')).toBe('deny');
    expect(contents.openWindow(APP_START_URL)).toBe('deny');
  });

  it('blocks navigation and redirects away from the app, allows the app itself', () => {
    const contents = fakeContents();
    for (const name of ['will-navigate', 'will-redirect']) {
      expect(contents.allows(name, 'https://example.org/')).toBe(false);
      expect(contents.allows(name, 'file:///home/reader/')).toBe(false);
      expect(contents.allows(name, 'app://lesiontrack.example/')).toBe(false);
      expect(contents.allows(name, APP_START_URL)).toBe(true);
    }
  });

  it('refuses webviews', () => {
    expect(fakeContents().allows('will-attach-webview')).toBe(false);
  });
});

describe('permissions', () => {
  it('are all denied, whatever is asked', () => {
    const handlers: Record<string, (...args: unknown[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (handler: (...args: unknown[]) => unknown) => (handlers.request = handler),
      setPermissionCheckHandler: (handler: (...args: unknown[]) => unknown) => (handlers.check = handler),
      setDevicePermissionHandler: (handler: (...args: unknown[]) => unknown) => (handlers.device = handler),
    };
    denyAllPermissions(session as unknown as Session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      handlers.request!({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(handlers.check!({}, permission, APP_START_URL, {})).toBe(false);
    }
    expect(handlers.device!({ deviceType: 'usb' })).toBe(false);
  });
});
