// Keyboard shortcuts: a map from key names to actions, active while the
// reader is not typing into a field. Names: 'ArrowUp', 'Shift+ArrowUp', 'r',
// 'Shift+r', '[' (characters as typed, letters in lower case).
import { useEffect, useRef } from 'react';

export type KeyMap = Readonly<Record<string, () => void>>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function keyName(event: Pick<KeyboardEvent, 'key' | 'shiftKey'>): string {
  const single = event.key.length === 1;
  const letter = single && /[a-z]/i.test(event.key);
  // Shift is part of a typed symbol ("?" is Shift+/), so it is named only for letters and named keys.
  const shift = event.shiftKey && (!single || letter) ? 'Shift+' : '';
  return shift + (single ? event.key.toLowerCase() : event.key);
}

export function useKeyMap(map: KeyMap | null): void {
  const current = useRef(map);
  current.current = map;
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const action = current.current?.[keyName(event)];
      if (!action) return;
      event.preventDefault();
      action();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
