/**
 * Postfix's own load generator, /usr/sbin/smtp-source (Debian package
 * `postfix`), the client behind the reference figures: `-s` sessions,
 * `-m` messages of `-l` bytes, one connection per message (no -d).
 */
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';

export const smtpSourcePath = '/usr/sbin/smtp-source';
export const smtpSinkPath = '/usr/sbin/smtp-sink';

export async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export interface SmtpSourceRun {
  readonly port: number;
  readonly sessions: number;
  readonly messages: number;
  readonly messageBytes: number;
  readonly from: string;
  readonly to: string;
}

export class SmtpSourceError extends Error {
  override name = 'SmtpSourceError';
}

/** Runs smtp-source to completion; resolves with the wall time in milliseconds. */
export function runSmtpSource(run: SmtpSourceRun): Promise<number> {
  const args = ['-s', String(run.sessions), '-m', String(run.messages), '-l', String(run.messageBytes), '-M', 'bench.client.test', '-f', run.from, '-t', run.to, `127.0.0.1:${run.port}`];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(smtpSourcePath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => reject(new SmtpSourceError(`smtp-source did not start: ${error.message}`, { cause: error })));
    child.once('exit', (code) => {
      if (code === 0 && !/fatal|error/i.test(stderr)) resolve(performance.now() - started);
      else reject(new SmtpSourceError(`smtp-source ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}
