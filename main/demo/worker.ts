// Worker thread of the synthetic-trial generator: writes one series per
// message and answers with what it wrote (or the error), in order.
import { parentPort } from 'node:worker_threads';
import { type SeriesJob, writeSeries } from './series-writer';

parentPort?.on('message', (job: SeriesJob) => {
  try {
    parentPort?.postMessage({ ok: true, written: writeSeries(job) });
  } catch (error) {
    parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
