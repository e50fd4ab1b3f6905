// Keyboard shortcuts of the viewer, active while it shows a series and the
// reader is not typing into a field.
import { useEffect, useRef } from 'react';

export interface ViewerKeyActions {
  step(delta: number): void;
  /** Moves a tenth of the stack (at least one image). */
  page(direction: 1 | -1): void;
  reset(): void;
  invert(): void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useViewerKeys(actions: ViewerKeyActions | null): void {
  const current = useRef(actions);
  current.current = actions;
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const target = current.current;
      if (!target || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const handled = ((): boolean => {
        switch (event.key) {
          case 'ArrowUp':
            target.step(-1);
            return true;
          case 'ArrowDown':
            target.step(1);
            return true;
          case 'PageUp':
            target.page(-1);
            return true;
          case 'PageDown':
            target.page(1);
            return true;
          case 'r':
          case 'R':
            target.reset();
            return true;
          case 'i':
          case 'I':
            target.invert();
            return true;
          default:
            return false;
        }
      })();
      if (handled) event.preventDefault();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
