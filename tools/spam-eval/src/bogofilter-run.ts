/**
 * bogofilter (Debian's package) beside the filter on the same folds: per
 * fold a private word list (-d, a temporary directory) is trained with
 * -s / -n on the other folds' files and the held-out files are classified
 * with -T (one `path S|H|U spamicity` line each), in bulk mode (-b: file
 * names on standard input). Its own configuration is used as installed;
 * its spam cutoff (bogofilter -Q) is where it calls a message spam.
 */
import { spawn } from 'node:child_process';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusMessage, MessageClass } from './corpus';

export const bogofilterPath = '/usr/bin/bogofilter';

export interface BogofilterJudgement {
  readonly spamicity: number;
  /** bogofilter's own class: S at or above its spam cutoff. */
  readonly spam: boolean;
}

export class BogofilterError extends Error {
  override name = 'BogofilterError';
}

export async function bogofilterInstalled(): Promise<boolean> {
  return access(bogofilterPath, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Runs bogofilter with `args`, the file names on standard input; its standard output. Exit codes 0-2 are its answers (spam, ham, unsure), 3 an error. */
function run(args: readonly string[], paths: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bogofilterPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code !== null && code <= 2 ? resolve(out) : reject(new BogofilterError(`bogofilter ${args.join(' ')} exited ${code}: ${err.trim()}`))));
    // A bogofilter that stopped reading (-Q reads nothing; a failing one exits) closes the pipe: its exit code tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(paths.map((path) => `${path}\n`).join(''));
  });
}

/** bogofilter's spam_cutoff as configured (bogofilter -Q). */
export async function bogofilterSpamCutoff(): Promise<number> {
  const config = await run(['-Q'], []);
  const cutoff = /^spam_cutoff\s*=\s*([\d.]+)/m.exec(config)?.[1];
  if (!cutoff) throw new BogofilterError('bogofilter -Q printed no spam_cutoff');
  return Number(cutoff);
}

/** Trains a private word list on `training` and classifies `heldOut`, by path. */
export async function runBogofilterFold(training: readonly CorpusMessage[], heldOut: readonly CorpusMessage[]): Promise<Map<string, BogofilterJudgement>> {
  const directory = await mkdtemp(join(tmpdir(), 'spam-eval-bogofilter-'));
  try {
    const paths = (kind: MessageClass) => training.filter((m) => m.kind === kind).map((m) => m.path);
    await run(['-d', directory, '-s', '-b'], paths('spam'));
    await run(['-d', directory, '-n', '-b'], paths('ham'));
    const output = await run(
      ['-d', directory, '-T', '-b'],
      heldOut.map((m) => m.path),
    );
    const judged = new Map<string, BogofilterJudgement>();
    for (const line of output.split('\n')) {
      const match = /^(.*) ([SHU]) ([\d.e-]+)$/.exec(line);
      if (match) judged.set(match[1] ?? '', { spam: match[2] === 'S', spamicity: Number(match[3]) });
    }
    const missing = heldOut.filter((m) => !judged.has(m.path));
    if (missing.length > 0) throw new BogofilterError(`bogofilter gave no answer for ${missing.length} messages, e.g. ${missing[0]?.path}`);
    return judged;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
