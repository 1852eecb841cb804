/**
 * CPU-bound work off the event loop: one function run in a worker thread,
 * one call at a time, each under a deadline. A call that overruns its
 * deadline gets the worker terminated (synchronous work cannot be
 * interrupted any other way) and a fresh worker serves the next call, so a
 * hostile input costs at most one deadline and never stalls the service's
 * connections (MIME parsers are the usual suspects: mailparser, Haraka).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The call took longer than the deadline; the worker was terminated. */
export class WorkerTaskTimeoutError extends Error {
  override readonly name = 'WorkerTaskTimeoutError';
  constructor(task: string, timeoutMs: number) {
    super(`${task} took over ${timeoutMs} ms; its worker was terminated`);
  }
}

/** The function threw in the worker, or the worker died. */
export class WorkerTaskError extends Error {
  override readonly name = 'WorkerTaskError';
}

interface Call<I, O> {
  readonly input: I;
  readonly timeoutMs: number;
  resolve(output: O): void;
  reject(error: Error): void;
}

/** What worker-bootstrap.mjs answers each call with. */
type Reply<O> = { readonly ok: true; readonly output: O } | { readonly ok: false; readonly message: string };

const bootstrap = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * The file that runs `entry`: the source itself, or, in a build, the bundle
 * compiled from it. Callers name the source (`new URL('./x.ts',
 * import.meta.url)`); in dist/ import.meta.url is the service's bundle, and
 * tools/build-app.mjs puts x.ts, compiled, beside it as x.mjs.
 */
export function workerEntryFile(entry: URL): URL {
  if (!entry.pathname.endsWith('.ts') || existsSync(fileURLToPath(entry))) return entry;
  const compiled = new URL(entry.href.replace(/\.ts$/, '.mjs'));
  if (existsSync(fileURLToPath(compiled))) return compiled;
  throw new WorkerTaskError(`worker entry ${fileURLToPath(entry)} is missing, and so is its build ${fileURLToPath(compiled)}`);
}

/**
 * Runs `entry` in a worker thread: a module whose default export is the
 * function, `(input: I) => O | Promise<O>` (its result must be
 * structured-cloneable). worker-bootstrap.mjs serves it; the entry should
 * import only what the function needs (every worker loads its own copy).
 */
export class WorkerTask<I, O> {
  #worker: { worker: Worker; ready: Promise<void> } | undefined;
  #queue: Call<I, O>[] = [];
  #busy = false;
  #closed = false;

  readonly #entry: URL;

  /** `entry` names the source (x.ts); from a build its bundle (x.mjs) runs instead (workerEntryFile). */
  constructor(
    entry: URL,
    private readonly options: { readonly name: string; readonly timeoutMs: number },
  ) {
    this.#entry = workerEntryFile(entry);
  }

  /**
   * Runs the function on `input` (structured-cloned into the worker). The
   * deadline counts from the moment the call reaches the worker, not from
   * its time in the queue.
   */
  run(input: I, timeoutMs = this.options.timeoutMs): Promise<O> {
    if (this.#closed) return Promise.reject(new WorkerTaskError(`${this.options.name}: closed`));
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ input, timeoutMs, resolve, reject });
      this.#next();
    });
  }

  /** Terminates the worker; queued calls are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const call of this.#queue.splice(0)) call.reject(new WorkerTaskError(`${this.options.name}: closed`));
    await this.#worker?.worker.terminate();
    this.#worker = undefined;
  }

  #spawn(): { worker: Worker; ready: Promise<void> } {
    const worker = new Worker(bootstrap, { workerData: { entry: this.#entry.href } });
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      const onReady = (message: unknown): void => {
        if ((message as { ready?: boolean } | null)?.ready !== true) return;
        worker.off('message', onReady);
        worker.off('error', reject);
        resolve();
      };
      worker.on('message', onReady);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} during start-up`)));
    });
    ready.catch(() => undefined);
    return { worker, ready };
  }

  #next(): void {
    if (this.#busy || this.#closed) return;
    const call = this.#queue.shift();
    if (call === undefined) return;
    this.#busy = true;
    const current = (this.#worker ??= this.#spawn());
    current.ready.then(
      () => this.#send(current.worker, call),
      (error: unknown) => {
        if (this.#worker === current) this.#worker = undefined;
        void current.worker.terminate();
        this.#busy = false;
        call.reject(new WorkerTaskError(`${this.options.name}: worker did not start: ${(error as Error).message}`, { cause: error }));
        this.#next();
      },
    );
  }

  #send(worker: Worker, call: Call<I, O>): void {
    const settle = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onFailure);
      worker.off('exit', onExit);
      this.#busy = false;
      this.#next();
    };
    const discard = (): void => {
      if (this.#worker?.worker === worker) this.#worker = undefined;
      void worker.terminate();
    };
    const onMessage = (reply: Reply<O>): void => {
      settle();
      if (reply.ok) call.resolve(reply.output);
      else call.reject(new WorkerTaskError(`${this.options.name}: ${reply.message}`));
    };
    const onFailure = (error: Error): void => {
      discard();
      settle();
      call.reject(new WorkerTaskError(`${this.options.name}: worker failed: ${error.message}`, { cause: error }));
    };
    const onExit = (code: number): void => onFailure(new Error(`worker exited with code ${code}`));
    const timer = setTimeout(() => {
      discard();
      settle();
      call.reject(new WorkerTaskTimeoutError(this.options.name, call.timeoutMs));
    }, call.timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onFailure);
    worker.on('exit', onExit);
    worker.postMessage(call.input);
  }

  /** Starts the worker now rather than at the first call. */
  warm(): void {
    if (!this.#closed) this.#worker ??= this.#spawn();
  }
}
