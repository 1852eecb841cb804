/**
 * What the launcher knows about each piece of infrastructure (NATS,
 * PostgreSQL, Redis): how to tell that a configured server is usable, and
 * how to start one of its own when it is not.
 */
import type { ProcessGroup } from '../process-group';
import type { Terminal } from '../terminal';

/** Outcome of checking a server with its own protocol. */
export type ProbeResult = { ok: true; note?: string } | { ok: false; reason: string };

/** What a start function needs. */
export interface StartContext {
  group: ProcessGroup;
  terminal: Terminal;
  /** The URL the user configured (or the default), which did not answer. */
  configuredUrl: string;
}

/** Starts a local server and resolves with its URL once it answers. */
export type Launch = (context: StartContext) => Promise<string>;

export interface InfrastructureKind {
  /** Short name used as the output label of the started server. */
  readonly key: 'nats' | 'postgres' | 'redis';
  /** Name for people. */
  readonly title: string;
  /** Variable the services read the URL from. */
  readonly envVar: 'NATS_URL' | 'DATABASE_URL' | 'REDIS_URL';
  readonly defaultUrl: string;
  /** Debian package that provides the server binaries. */
  readonly debianPackage: string;
  /** Where a started server keeps its data. */
  readonly dataDir: string;
  /** Checks the server at `url` is usable (and prepares it, e.g. creates the database). */
  probe(url: string): Promise<ProbeResult>;
  /** A way to start a local server, or undefined when the binaries are not installed. */
  locate(env: NodeJS.ProcessEnv): Launch | undefined;
}

/** How long a probe may take before the server counts as not answering. */
export const probeTimeoutMs = 2_000;
