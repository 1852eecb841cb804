/**
 * Command-line options of `npm run spam-eval`, parsed once into a typed
 * value; a bad option stops the run with a message naming it.
 */

export interface EvalOptions {
  /** Folds of the stratified cross-validation: each is scored by a model trained on the others. */
  readonly folds: number;
  /** At most this many messages, drawn from every group in proportion (a small slice); undefined for the whole corpus. */
  readonly limit: number | undefined;
  /** Seed of the shuffle that deals messages to folds (and picks the slice). */
  readonly seed: number;
  /** Directory for results.json and results.md. */
  readonly outDir: string;
  /** Run bogofilter beside the filter when it is installed. */
  readonly bogofilter: boolean;
  readonly help: boolean;
}

export class EvalOptionError extends Error {
  override name = 'EvalOptionError';
}

export const usage = `npm run spam-eval -- [options]

  --folds N        folds of the stratified cross-validation (default 5)
  --limit N        a slice of N messages, every group in proportion (default: the whole corpus)
  --seed N         seed of the fold deal and the slice (default 16)
  --out DIR        results directory (default spam-eval-results)
  --no-bogofilter  do not run bogofilter beside the filter
  --help`;

function positive(flag: string, text: string | undefined, min = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new EvalOptionError(`${flag} needs an integer of at least ${min}, got ${JSON.stringify(text)}`);
  return value;
}

export function parseEvalOptions(argv: readonly string[]): EvalOptions {
  let folds = 5;
  let limit: number | undefined;
  let seed = 16;
  let outDir = 'spam-eval-results';
  let bogofilter = true;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--folds':
        folds = positive(flag, value(), 2);
        break;
      case '--limit':
        limit = positive(flag, value());
        break;
      case '--seed':
        seed = positive(flag, value(), 0);
        break;
      case '--out': {
        const dir = value();
        if (!dir) throw new EvalOptionError('--out needs a directory');
        outDir = dir;
        break;
      }
      case '--no-bogofilter':
        bogofilter = false;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new EvalOptionError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  if (limit !== undefined && limit < folds * 2) throw new EvalOptionError(`--limit ${limit} is too small for ${folds} folds`);
  return { folds, limit, seed, outDir, bogofilter, help };
}
