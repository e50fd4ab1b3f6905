// Key names as the command table uses them: 'ArrowUp', 'Shift+ArrowUp', 'r',
// 'Shift+r', '[' (characters as typed, letters in lower case); and whether a
// key press is typing into a field rather than a command.

export function isTyping(target: EventTarget | null): boolean {
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
