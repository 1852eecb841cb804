/**
 * Lets mailauth load on Node 20. mailauth 7 requires undici 8 (for BIMI
 * logo fetching, which this service disables), and undici 8 calls
 * `worker_threads.markAsUncloneable` from Node 22 when it loads. On older
 * Node that function is missing and `require('mailauth')` throws; a no-op
 * stands in for it (it only stops undici's own objects being cloned to
 * other threads, which we never do). Import this module before mailauth.
 * Drop it once the workspace requires Node ≥ 22.19 (undici 8's engines).
 */
import workerThreads from 'node:worker_threads';

const threads = workerThreads as unknown as { markAsUncloneable?: (value: object) => void };
if (typeof threads.markAsUncloneable !== 'function') threads.markAsUncloneable = () => undefined;
