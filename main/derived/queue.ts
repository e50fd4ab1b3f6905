// One job at a time, in order: derived images take a whole core each, and a
// reader waiting for the read they opened goes ahead of the background's
// work. The queue belongs to one open store and stops with it: what waits
// is dropped, and the job running ends by the store's closing signal.

export interface JobQueue<Item> {
  /** Queues an item under its key unless that key is running; `first` puts it ahead of everything waiting. */
  add(key: string, item: Item, first: boolean): void;
  /** Whether the key is waiting or running. */
  has(key: string): boolean;
}

/** `run` settles every job itself: it never rejects. */
export function createJobQueue<Item>(run: (item: Item) => Promise<void>, closing: AbortSignal): JobQueue<Item> {
  let waiting = new Map<string, Item>();
  let running: string | null = null;
  closing.addEventListener('abort', () => waiting.clear(), { once: true });

  async function drain(): Promise<void> {
    while (running === null && !closing.aborted) {
      const next = waiting.entries().next();
      if (next.done) return;
      const [key, item] = next.value;
      waiting.delete(key);
      running = key;
      try {
        await run(item);
      } finally {
        running = null;
      }
    }
  }

  return {
    add(key, item, first) {
      if (closing.aborted || key === running) return;
      if (first) waiting = new Map([[key, item], ...[...waiting].filter(([other]) => other !== key)]);
      else if (!waiting.has(key)) waiting.set(key, item);
      void drain();
    },
    has: (key) => key === running || waiting.has(key),
  };
}
