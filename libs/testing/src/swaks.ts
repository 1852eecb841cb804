/**
 * swaks, the SMTP test tool operators use, run against a listener on
 * loopback (Debian package `swaks`; tests declare it with describeWithTools).
 * Never throws on a refused message: the exit code and the transcript say
 * what happened, for the test to assert on.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SwaksResult {
  /** 0 when the whole dialogue succeeded; swaks's own code otherwise (e.g. 24 for a refused RCPT). */
  readonly code: number;
  /** Everything swaks printed: the dialogue, both directions. */
  readonly transcript: string;
}

/** Runs `swaks --server 127.0.0.1 --helo client.test --timeout 20 <args>`. */
export async function swaks(...args: string[]): Promise<SwaksResult> {
  try {
    const { stdout, stderr } = await run('swaks', ['--server', '127.0.0.1', '--helo', 'client.test', '--timeout', '20', ...args]);
    return { code: 0, transcript: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, transcript: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}
