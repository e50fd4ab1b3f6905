// Alignment off the main thread: reads both series and searches the rigid
// transform, so the app stays responsive for the second or two it takes.
import { parentPort } from 'node:worker_threads';
import { type AlignmentJob, alignmentOutcome } from './align';

parentPort?.on('message', (job: AlignmentJob) => parentPort!.postMessage(alignmentOutcome(job)));
