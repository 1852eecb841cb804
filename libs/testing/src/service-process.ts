/**
 * Start a service of this workspace as a real child process, from its build
 * (dist/apps/<name>/main.mjs, the same way `npm start` and the image run
 * it), wait until its /readyz answers, and stop it with a signal of the
 * test's choosing (SIGTERM to drain, SIGKILL to crash). `npm test` builds
 * the apps before the integration suites (nx.json: integration dependsOn);
 * a suite run on its own rebuilds a stale build first (app-builds.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCurrentBuilds } from './app-builds';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The compiled entry of an app, relative to the workspace root. */
export function builtEntry(app: string): string {
  return `dist/apps/${app}/main.mjs`;
}

/** `node` arguments that run an app's build; `preload`: modules given to --import first (test-only hooks). */
export function serviceArguments(app: string, preload: readonly string[] = []): string[] {
  const entry = builtEntry(app);
  if (!existsSync(join(workspaceRoot, entry))) {
    throw new Error(`${entry} is missing: build it with \`npx nx run ${app}:build\` (npm test builds every app before the integration suites)`);
  }
  return ['--enable-source-maps', ...preload.flatMap((module) => ['--import', module]), entry];
}

export interface ServiceProcess {
  readonly app: string;
  readonly pid: number;
  readonly opsPort: number;
  /** Everything the process wrote so far (JSON log lines). */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** SIGTERM by default; resolves when the process has exited. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

export async function startServiceProcess(
  app: string,
  env: Record<string, string>,
  options: { readyTimeoutMs?: number; waitReady?: boolean; preload?: readonly string[] } = {},
): Promise<ServiceProcess> {
  await ensureCurrentBuilds(workspaceRoot);
  const opsPort = env['HTTP_PORT'] ? Number(env['HTTP_PORT']) : await freePort();
  const child: ChildProcess = spawn(process.execPath, serviceArguments(app, options.preload), {
    cwd: workspaceRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env, HTTP_PORT: String(opsPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let ended = false;
  void exited.then(() => (ended = true));

  const handle: ServiceProcess = {
    app,
    pid: child.pid ?? -1,
    opsPort,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (!ended) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };

  if (options.waitReady !== false) {
    try {
      await waitFor(
        async () => {
          if (ended) throw new Error(`${app} exited during start-up:\n${output.slice(-4000)}`);
          const res = await fetch(`http://127.0.0.1:${opsPort}/readyz`).catch(() => undefined);
          return res?.status === 200;
        },
        { timeoutMs: options.readyTimeoutMs ?? 30_000, intervalMs: 100, description: `${app} to become ready` },
      );
    } catch (error) {
      await handle.stop('SIGKILL');
      throw new Error(`${(error as Error).message}\n--- ${app} output ---\n${output.slice(-4000)}`, { cause: error });
    }
  }
  return handle;
}
