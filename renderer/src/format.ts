// Small display helpers: dates, durations and counts as a reader reads them.

/** DICOM DA (YYYYMMDD) as YYYY-MM-DD; anything else unchanged, empty as an en dash. */
export function formatStudyDate(value: string): string {
  // Some older files write DA with dots (1999.05.24), as ACR-NEMA did.
  const match = /^(\d{4})[.-]?(\d{2})[.-]?(\d{2})$/.exec(value.trim());
  if (match) return `${match[1]}-${match[2]}-${match[3]}`;
  return value.trim() || '–';
}

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const minutes = Math.floor(milliseconds / 60_000);
  const seconds = Math.round((milliseconds % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong.';
}
