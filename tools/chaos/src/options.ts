/**
 * Command-line options of `npm run chaos`, parsed once and checked:
 * `--messages N` (default 3000), `--clients N` (10), `--down MS` (2000),
 * `--drain-timeout MS` (300000), `--max-attempts N` (40).
 */
export interface ChaosOptions {
  readonly messages: number;
  readonly clients: number;
  readonly downMs: number;
  readonly drainTimeoutMs: number;
  readonly maxAttempts: number;
}

/** A command line the tool cannot run with. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const defaultOptions: ChaosOptions = { messages: 3000, clients: 10, downMs: 2000, drainTimeoutMs: 300_000, maxAttempts: 40 };

const flags: Record<string, keyof ChaosOptions> = {
  '--messages': 'messages',
  '--clients': 'clients',
  '--down': 'downMs',
  '--drain-timeout': 'drainTimeoutMs',
  '--max-attempts': 'maxAttempts',
};

export function parseOptions(argv: readonly string[]): ChaosOptions {
  const options: Record<keyof ChaosOptions, number> = { ...defaultOptions };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split('=', 2);
    const key = flags[flag ?? ''];
    if (!key) throw new UsageError(`unknown option ${flag}; expected one of ${Object.keys(flags).join(', ')}`);
    const text = inline ?? argv[++i];
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} needs a positive whole number, got ${String(text)}`);
    options[key] = value;
  }
  return options;
}
