// Cornerstone 5.14's loadAndCacheImage drops the promise that
// cache.putImageLoadObject returns, and that promise rethrows the load error:
// every failed image load (a 409 for a changed source file, a file that does
// not decode) also surfaces as an unhandled promise rejection. The failure
// itself is reported through IMAGE_LOAD_FAILED, which the viewer shows. This
// filter silences only the duplicate: a rejection whose reason is the very
// error object an IMAGE_LOAD_FAILED event already carried. Anything else
// stays unhandled and visible.
import { Enums, eventTarget } from '@cornerstonejs/core';

const reportedFailures = new WeakSet<object>();

export function installLoadFailureRejectionFilter(): void {
  eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, ((event: CustomEvent<{ error: unknown }>) => {
    const { error } = event.detail;
    if (typeof error === 'object' && error !== null) reportedFailures.add(error);
  }) as EventListener);
  window.addEventListener('unhandledrejection', (event) => {
    const reason: unknown = event.reason;
    if (typeof reason === 'object' && reason !== null && reportedFailures.has(reason)) event.preventDefault();
  });
}
