/**
 * Command-line options of `npm run bench`, parsed once into a typed value;
 * a bad option stops the run with a message naming it.
 */

export const scenarioNames = ['idle', 'size', 'inbound', 'pop3', 'imap', 'latency', 'outbound'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export type LoadGenerator = 'auto' | 'smtp-source' | 'builtin';

export interface BenchOptions {
  /** Scenarios to run, always in the canonical order above (idle first: the services are fresh). */
  readonly scenarios: readonly ScenarioName[];
  /** Messages of the inbound, POP3 single-session and IMAP FETCH scenarios. */
  readonly messages: number;
  /** Concurrent SMTP sessions of the inbound scenario. */
  readonly sessions: number;
  /** Offered load of the latency scenario, messages per second, and how long it lasts. */
  readonly latencyRate: number;
  readonly latencySeconds: number;
  /** Messages of the outbound scenario. */
  readonly outboundMessages: number;
  /** POP3 concurrent sessions and messages per session's maildrop. */
  readonly pop3Sessions: number;
  readonly pop3MessagesPerSession: number;
  /** IMAP sessions held in IDLE at once (issue 18's target: 10,000 per replica in < 512 MiB). */
  readonly imapIdleSessions: number;
  /** Size of the big message in the size scenario, in bytes. */
  readonly largeMessageBytes: number;
  /** Also measure a private Postfix and Dovecot (and smtp-sink's ceiling) in the same run. */
  readonly compare: boolean;
  readonly loadGenerator: LoadGenerator;
  /** Directory for results.json and results.md. */
  readonly outDir: string;
  /** Directory for the services' V8 CPU profiles (as node --cpu-prof writes them), written when they stop. */
  readonly cpuProfileDir: string | undefined;
  readonly help: boolean;
}

export class BenchOptionError extends Error {
  override name = 'BenchOptionError';
}

export const usage = `npm run bench -- [options]

  --scenarios a,b,...   any of ${scenarioNames.join(',')} (default: all)
  --messages N          inbound, POP3 single-session and IMAP FETCH messages (default 5000; --quick 1000)
  --sessions N          concurrent SMTP sessions for inbound (default 20)
  --rate N              offered load of the latency scenario, msg/s (default 200)
  --duration S          seconds of offered load (default 15; --quick 5)
  --outbound N          outbound messages (default 2000; --quick 500)
  --imap-idle-sessions N  IMAP sessions held in IDLE (default 10000; --quick 1000)
  --quick               smaller counts for a fast smoke run
  --compare             also run a private Postfix + Dovecot and smtp-sink's ceiling
  --load-generator G    auto (smtp-source when installed) | smtp-source | builtin
  --out DIR             results directory (default bench-results)
  --cpu-prof DIR        profile the services' CPU, .cpuprofile files into DIR
  --help`;

const positive = (flag: string, text: string | undefined): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new BenchOptionError(`${flag} needs a positive integer, got ${JSON.stringify(text)}`);
  return value;
};

/** Parses argv (without node and the script). @throws BenchOptionError on an unknown or malformed option. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options = {
    scenarios: [...scenarioNames] as ScenarioName[],
    messages: quick ? 1000 : 5000,
    sessions: 20,
    latencyRate: 200,
    latencySeconds: quick ? 5 : 15,
    outboundMessages: quick ? 500 : 2000,
    pop3Sessions: 50,
    pop3MessagesPerSession: quick ? 5 : 20,
    imapIdleSessions: quick ? 1000 : 10_000,
    largeMessageBytes: 25 * 1024 * 1024,
    compare: false,
    loadGenerator: 'auto' as LoadGenerator,
    outDir: 'bench-results',
    cpuProfileDir: undefined as string | undefined,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--quick':
        break;
      case '--compare':
        options.compare = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--scenarios':
        options.scenarios = parseScenarios(value());
        break;
      case '--messages':
        options.messages = positive(flag, value());
        break;
      case '--sessions':
        options.sessions = positive(flag, value());
        break;
      case '--rate':
        options.latencyRate = positive(flag, value());
        break;
      case '--duration':
        options.latencySeconds = positive(flag, value());
        break;
      case '--outbound':
        options.outboundMessages = positive(flag, value());
        break;
      case '--imap-idle-sessions':
        options.imapIdleSessions = positive(flag, value());
        break;
      case '--load-generator': {
        const generator = value();
        if (generator !== 'auto' && generator !== 'smtp-source' && generator !== 'builtin')
          throw new BenchOptionError(`--load-generator is auto, smtp-source or builtin, got ${JSON.stringify(generator)}`);
        options.loadGenerator = generator;
        break;
      }
      case '--out': {
        const dir = value();
        if (!dir) throw new BenchOptionError('--out needs a directory');
        options.outDir = dir;
        break;
      }
      case '--cpu-prof': {
        const dir = value();
        if (!dir) throw new BenchOptionError('--cpu-prof needs a directory');
        options.cpuProfileDir = dir;
        break;
      }
      default:
        throw new BenchOptionError(`unknown option ${JSON.stringify(flag)}\n\n${usage}`);
    }
  }
  return options;
}

function parseScenarios(text: string | undefined): ScenarioName[] {
  const wanted = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (wanted.length === 0) throw new BenchOptionError('--scenarios needs a comma-separated list');
  for (const name of wanted) {
    if (!(scenarioNames as readonly string[]).includes(name)) throw new BenchOptionError(`unknown scenario ${JSON.stringify(name)} (known: ${scenarioNames.join(', ')})`);
  }
  return scenarioNames.filter((name) => wanted.includes(name));
}
