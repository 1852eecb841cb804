/**
 * `npm run bench`: the reproducible benchmark of issue 9. Optionally
 * measures a private Postfix + Dovecot and smtp-sink's ceiling first
 * (--compare), then starts the platform (every service of the catalog as
 * a real process on isolated NATS/PostgreSQL/Redis resources and a dns2
 * server), runs the chosen scenarios in a fixed order (idle first, while
 * the services are fresh), prints a table and writes results.json and
 * results.md to --out.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BenchOptionError, parseBenchOptions, usage, type BenchOptions, type ScenarioName } from './bench-options';
import { renderMarkdown, renderTable, type BenchReport, type Measurement } from './bench-results';
import { startBenchStack, type BenchStack } from './bench-stack';
import { describeMachine } from './machine';
import { progress } from './progress';
import { measureReferences, stopRunningReferences } from './reference/reference-run';
import type { ReferenceFigures, ScenarioContext } from './scenario-context';
import { runIdleScenario } from './scenarios/idle';
import { runImapScenario } from './scenarios/imap';
import { runInboundScenario } from './scenarios/inbound';
import { runLatencyScenario } from './scenarios/latency';
import { runOutboundScenario } from './scenarios/outbound';
import { runPop3Scenario } from './scenarios/pop3';
import { runSizeScenario } from './scenarios/size';
import { isExecutable, smtpSourcePath } from './smtp-source';

const scenarios: Record<ScenarioName, (context: ScenarioContext) => Promise<void>> = {
  idle: runIdleScenario,
  size: runSizeScenario,
  inbound: runInboundScenario,
  pop3: runPop3Scenario,
  imap: runImapScenario,
  latency: runLatencyScenario,
  outbound: runOutboundScenario,
};

async function chooseSmtpSource(options: BenchOptions, notes: string[]): Promise<boolean> {
  const installed = await isExecutable(smtpSourcePath);
  if (options.loadGenerator === 'builtin') return false;
  if (options.loadGenerator === 'smtp-source' && !installed) throw new BenchOptionError(`--load-generator smtp-source: ${smtpSourcePath} is not installed (Debian package postfix)`);
  if (!installed) notes.push(`${smtpSourcePath} not installed: inbound load from the built-in generator`);
  return installed;
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseBenchOptions(argv);
  if (options.help) return void console.log(usage);
  const startedAt = new Date().toISOString();
  const machine = await describeMachine();
  const notes: string[] = [];
  const measurements: Measurement[] = [];
  const useSmtpSource = await chooseSmtpSource(options, notes);

  // set once the stack is up, so an interrupt stops whatever is running by then
  const started: { bench?: BenchStack } = {};
  const stopOnSignal = () => {
    progress('interrupted: stopping the private Postfix/Dovecot and the stack');
    void Promise.allSettled([stopRunningReferences(), started.bench?.stop()]).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  let reference: ReferenceFigures = {};
  if (options.compare) reference = await measureReferences(options, notes);

  const bench = await startBenchStack(options.cpuProfileDir ? resolve(process.cwd(), options.cpuProfileDir) : undefined);
  started.bench = bench;
  const context: ScenarioContext = {
    options,
    bench,
    useSmtpSource,
    reference,
    record: (measurement) => {
      measurements.push(measurement);
      // a reference-only row (the peer's CPU) has no value of ours: show the reference's
      const shown = Number.isFinite(measurement.value) ? measurement.value : measurement.reference?.value;
      progress(`  ${measurement.scenario} · ${measurement.metric}: ${shown === undefined ? '—' : Number(shown.toPrecision(4))} ${measurement.unit}`);
    },
    note: (text) => {
      notes.push(text);
      progress(`  note: ${text}`);
    },
  };
  try {
    for (const name of options.scenarios) {
      progress(`scenario ${name}`);
      try {
        await scenarios[name](context);
      } catch (error) {
        context.note(`${name} failed: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    progress('stopping the stack');
    await bench.stop();
  }

  const report: BenchReport = { startedAt, finishedAt: new Date().toISOString(), machine, command: `npm run bench -- ${argv.join(' ')}`.trim(), measurements, notes };
  const outDir = resolve(process.cwd(), options.outDir);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(outDir, 'results.md'), renderMarkdown(report));
  console.log(`\n${renderTable(measurements)}\n`);
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`\nresults: ${join(outDir, 'results.json')} and results.md`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof BenchOptionError ? error.message : error);
    process.exit(error instanceof BenchOptionError ? 2 : 1);
  },
);
