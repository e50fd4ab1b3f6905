// Worker thread of the header pool: reads one file's header per message, in order.
import { parentPort } from 'node:worker_threads';
import { readInstanceHeader } from './header';
import { WORKER_READY } from './header-pool';

parentPort?.on('message', (path: string) => {
  parentPort?.postMessage(readInstanceHeader(path));
});
parentPort?.postMessage(WORKER_READY);
