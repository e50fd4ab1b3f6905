// Alignment and subtraction off the main thread: each reads both series of a
// pair, so the app stays responsive for the seconds it takes.
import { parentPort } from 'node:worker_threads';
import { type ImageJob, imageJobOutcome } from './align';

parentPort?.on('message', (job: ImageJob) => parentPort!.postMessage(imageJobOutcome(job)));
