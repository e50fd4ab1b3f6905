// Worker thread of the raw-read peer (bench/raw-read.ts): holds its share of
// the byte ranges and, on each message, reads them all with plain fs calls
// and answers once done.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { ByteRange } from './raw-read';

const ranges = workerData as ByteRange[];
const scratch = Buffer.allocUnsafe(Math.max(1, ...ranges.map((range) => range.length)));

function readRange({ file, length }: ByteRange): void {
  const fd = openSync(file, 'r');
  try {
    let done = 0;
    while (done < length) {
      const got = readSync(fd, scratch, done, length - done, done);
      if (got === 0) break;
      done += got;
    }
  } finally {
    closeSync(fd);
  }
}

parentPort!.on('message', () => {
  for (const range of ranges) readRange(range);
  parentPort!.postMessage('done');
});
