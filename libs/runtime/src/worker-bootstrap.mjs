// Entry of every worker thread started by WorkerTask: services run under
// `node --import tsx`, whose loader hooks do not reach worker threads in
// Node 20, so the worker registers tsx itself before importing its
// TypeScript entry (passed as workerData.entry, a file URL), then says it
// is ready so that call deadlines do not count its start-up.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
parentPort.postMessage({ ready: true });
