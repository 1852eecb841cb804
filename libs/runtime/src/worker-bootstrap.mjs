// Entry of every worker thread started by WorkerTask. The worker's entry
// (workerData.entry, a file URL) is a TypeScript source when the service runs
// from source (tests of the libraries, development), and a compiled bundle
// (x.mjs, see tools/build-app.mjs) when it runs from dist/. Only a .ts entry
// needs tsx, and the worker cannot count on its parent's loader (under
// vitest the parent's TypeScript support is vite's transform, which never
// reaches a worker), so it registers tsx itself, imported only then (tsx is
// a development dependency; the image has none). Then it says it is ready,
// so that call deadlines do not count its start-up.
//
// The entry default-exports the function; this file answers the calls, so
// the entry imports nothing from @mail/runtime. Importing the library's
// index in the worker loaded the whole service life cycle (telemetry,
// OpenTelemetry, the bus, NATS) into every worker: about 33 MiB of RSS per
// worker for code it never runs.
import { parentPort, workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
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
