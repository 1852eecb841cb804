// Entry of every worker thread started by WorkerTask: services run under
// `node --import tsx`, whose loader hooks do not reach worker threads in
// Node 20, so the worker registers tsx itself before importing its
// TypeScript entry (passed as workerData.entry, a file URL), then says it
// is ready so that call deadlines do not count its start-up.
//
// The entry default-exports the function; this file answers the calls, so
// the entry imports nothing from @mail/runtime. Importing the library's
// index in the worker loaded the whole service life cycle (telemetry,
// OpenTelemetry, the bus, NATS) into every worker: about 33 MiB of RSS per
// worker for code it never runs.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { default: fn } = await import(workerData.entry);
if (typeof fn !== 'function') throw new Error(`worker entry ${workerData.entry} does not default-export a function`);
parentPort.on('message', (input) => {
  Promise.resolve()
    .then(() => fn(input))
    .then(
      (output) => parentPort.postMessage({ ok: true, output }),
      (error) => parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
    );
});
parentPort.postMessage({ ready: true });
