/**
 * Programs outside Node that tests drive: real clients (swaks, fetchmail,
 * curl, Python's poplib and imaplib, mbsync), openssl for test certificates, promtool, pg_dump
 * and pg_restore (the restore drill). Each is
 * named with the Debian package that installs it.
 *
 * When one is missing, the tests that need it FAIL under CI (`CI` set, as
 * `.ci/run` sets it after installing every package): a skip there would turn
 * a broken machine into a green run. Elsewhere they skip, with the same
 * message, so a developer without swaks can still run the rest.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe } from 'vitest';

/** A program on PATH and the Debian package that provides it. */
export interface ExternalTool {
  readonly binary: string;
  readonly debianPackage: string;
}

/** The programs the test suites use (`.ci/run` installs the same packages). */
export const externalTools = {
  curl: { binary: 'curl', debianPackage: 'curl' },
  fetchmail: { binary: 'fetchmail', debianPackage: 'fetchmail' },
  mbsync: { binary: 'mbsync', debianPackage: 'isync' },
  openssl: { binary: 'openssl', debianPackage: 'openssl' },
  pgDump: { binary: 'pg_dump', debianPackage: 'postgresql-client' },
  pgRestore: { binary: 'pg_restore', debianPackage: 'postgresql-client' },
  promtool: { binary: 'promtool', debianPackage: 'prometheus' },
  python3: { binary: 'python3', debianPackage: 'python3' },
  swaks: { binary: 'swaks', debianPackage: 'swaks' },
} as const satisfies Record<string, ExternalTool>;

/** A tool a test needs is not installed, on a CI machine (where that is a failure, not a skip). */
export class ExternalToolMissingError extends Error {
  override readonly name = 'ExternalToolMissingError';
}

/** The part of a vitest test context that skips the test. */
export interface SkippableContext {
  skip(note?: string): never;
}

/** Full path of an executable `binary` in the folders of `pathValue` (PATH), or undefined. */
export function findBinary(binary: string, pathValue: string | undefined = process.env['PATH']): string | undefined {
  for (const dir of (pathValue ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here (or not executable): try the next folder
    }
  }
  return undefined;
}

/** Whether `env` says we run under CI: `CI` set to anything but "", "0" or "false". */
export function runningUnderCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['CI'];
  return value !== undefined && !['', '0', 'false'].includes(value.toLowerCase());
}

/** "swaks is not installed (…): install the Debian package swaks", for each missing tool. */
export function missingToolMessage(tools: readonly ExternalTool[]): string {
  const what = tools.map((t) => `${t.binary} (Debian package ${t.debianPackage})`).join(', ');
  const packages = [...new Set(tools.map((t) => t.debianPackage))].join(' ');
  return `not installed: ${what}; install with \`apt-get install ${packages}\``;
}

/**
 * Undefined when every tool is on PATH. Otherwise the message naming the
 * missing binaries and their Debian packages: returned, for the caller to
 * skip with, outside CI; thrown as ExternalToolMissingError under CI.
 */
export function missingTools(tools: readonly ExternalTool[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const missing = tools.filter((tool) => findBinary(tool.binary, env['PATH']) === undefined);
  if (missing.length === 0) return undefined;
  const message = missingToolMessage(missing);
  if (runningUnderCi(env)) throw new ExternalToolMissingError(`${message} (CI is set: the tests that need it fail rather than skip)`);
  return message;
}

/** Inside a test: go on when the tools are installed; otherwise skip (outside CI) or fail (under CI), naming them. */
export function requireTools(context: SkippableContext, ...tools: ExternalTool[]): void {
  const missing = missingTools(tools);
  if (missing !== undefined) context.skip(missing);
}

/**
 * `describe` for a group whose tests all need `tools`. Missing outside CI:
 * the group is skipped with the message in its name. Missing under CI: the
 * file fails while its tests are collected, with the message.
 */
export function describeWithTools(tools: readonly ExternalTool[], name: string, body: () => void): void {
  const missing = missingTools(tools);
  if (missing === undefined) describe(name, body);
  else describe.skip(`${name} (skipped: ${missing})`, body);
}
