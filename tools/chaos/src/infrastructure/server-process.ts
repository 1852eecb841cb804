/**
 * A private infrastructure server (nats-server, redis-server, postgres) run
 * as a child process the crash matrix owns, so it can kill and restart it
 * without touching the shared servers other people's tests use. Readiness
 * is a TCP connection to its port (plus whatever probe the caller adds).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { waitFor } from '@mail/testing';

/** How to run one server; `uid`/`gid` run it as another user (PostgreSQL refuses root). */
export interface ServerCommand {
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly port: number;
  readonly uid?: number;
  readonly gid?: number;
  /** Extra readiness check after the port accepts connections. */
  readonly ready?: () => Promise<boolean>;
}

/** A server that can be crashed and started again on the same port and data folder. */
export interface ServerProcess {
  readonly name: string;
  readonly port: number;
  /** Starts the server (again) and waits until it is ready. */
  start(): Promise<void>;
  /** Sends `signal` and waits for the process to end (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
  /** The last lines the server wrote, for error messages. */
  output(): string;
}

/** Raised when a private server cannot be started. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function serverProcess(command: ServerCommand): ServerProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));

  return {
    name: command.name,
    port: command.port,
    output: () => output,
    async start() {
      const ids = command.uid === undefined ? {} : { uid: command.uid, gid: command.gid };
      const started = spawn(command.binary, command.args, { stdio: ['ignore', 'pipe', 'pipe'], ...ids });
      child = started;
      started.stdout?.on('data', keep);
      started.stderr?.on('data', keep);
      let ended = false;
      exited = new Promise((resolve) => started.once('exit', () => ((ended = true), resolve())));
      try {
        await waitFor(
          async () => {
            if (ended) throw new ServerStartError(`${command.name} exited during start-up`);
            return (await portAccepts(command.port)) && (command.ready ? await command.ready() : true);
          },
          { timeoutMs: 60_000, intervalMs: 100, description: `${command.name} on port ${command.port}` },
        );
      } catch (error) {
        started.kill('SIGKILL');
        throw new ServerStartError(`${(error as Error).message}\n--- ${command.name} output ---\n${output}`, { cause: error });
      }
    },
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const running = child;
      const timer = setTimeout(() => running.kill('SIGKILL'), timeoutMs);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
