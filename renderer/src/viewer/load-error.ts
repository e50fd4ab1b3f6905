// Turns whatever the image loader rejected with into a sentence a reader can act on.
// The wadouri loader rejects with the XMLHttpRequest itself when the host
// answers with an error status (such as 409 when a source file changed since
// import); the host's plain-text answer is the explanation.

const MAX_REASON_LENGTH = 400;

async function bodyText(response: unknown): Promise<string> {
  if (typeof response === 'string') return response;
  if (response instanceof ArrayBuffer) return new TextDecoder().decode(response);
  if (response instanceof Blob) return response.text();
  return '';
}

export async function describeLoadError(error: unknown): Promise<string> {
  if (typeof XMLHttpRequest !== 'undefined' && error instanceof XMLHttpRequest) {
    if (error.status === 0) return 'the image could not be fetched from the host (is it still running?).';
    const text = (await bodyText(error.response).catch(() => '')).trim().slice(0, MAX_REASON_LENGTH);
    return text ? `${text} (HTTP ${error.status})` : `the host answered HTTP ${error.status}.`;
  }
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const { message, error: inner } = error as { message?: unknown; error?: unknown };
    if (typeof message === 'string') return message;
    if (inner !== undefined) return describeLoadError(inner);
  }
  return 'the image could not be decoded.';
}
