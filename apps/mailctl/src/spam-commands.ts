/**
 * The mailctl commands answered by spam-filter: `spam train` sends each
 * message (base64, at most 512 KiB) in a `spam.train` request over one bus
 * connection, one after another, and sums up; `spam stats` shows the
 * classifier's counts, the users' moves per day and the DNS list zones
 * (spam-stats-output.ts). main.ts hands the command
 * line here first; anything else goes on.
 */
import { parseArgs } from 'node:util';
import { RemoteError, RequestFailedError, type Bus } from '@mail/bus';
import { connectAsMailctl, loadBusSettings } from './bus-settings';
import { Requests, type SpamTrainResponse } from '@mail/contracts';
import { parseSpamCommand } from './spam-command-line';
import { messageFiles } from './spam-message-files';
import { renderStats } from './spam-stats-output';
import { fail, print } from './command-output';

const options = { help: { type: 'boolean', short: 'h' }, spam: { type: 'boolean' }, ham: { type: 'boolean' }, days: { type: 'string' } } as const;
const hint = 'is spam-filter running (npm start)?';

/** Runs `spam` commands (resolving to the exit status); undefined for any other command. */
export function runSpamCommand(argv: readonly string[]): Promise<number> | undefined {
  if (argv.find((arg) => !arg.startsWith('-')) !== 'spam') return undefined;
  return run(argv);
}

async function run(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    return fail(`${(error as Error).message.split('. ')[0]} (see mailctl spam --help)`, 2);
  }
  const invocation = parseSpamCommand(parsed.positionals.slice(1), parsed.values, parsed.values.help === true);
  if (invocation.kind === 'help') return print(invocation.text);
  if (invocation.kind === 'invalid') return fail(invocation.message, 2);
  const settings = loadBusSettings();
  let bus: Bus;
  try {
    bus = await connectAsMailctl(settings);
  } catch (error) {
    return fail(`cannot connect to NATS at ${settings.natsUrl} (${(error as Error).message}); ${hint}`, 1);
  }
  try {
    if (invocation.kind === 'stats') return print(renderStats(await bus.request(Requests.spamStats, { version: 1, feedbackDays: invocation.days }, 10_000)));
    return await train(bus, invocation.as, invocation.paths);
  } catch (error) {
    if (error instanceof RemoteError) return fail(`${error.message} (${error.code})`, 1);
    if (error instanceof RequestFailedError) return fail(`no spam-filter answered on ${settings.natsUrl}; ${hint}`, 1);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fail((error as Error).message, 2);
    throw error;
  } finally {
    await bus.close();
  }
}

async function train(bus: Bus, as: 'spam' | 'ham', paths: readonly string[]): Promise<number> {
  const counts: Record<SpamTrainResponse['outcome'] | 'refused', number> = { learned: 0, relearned: 0, duplicate: 0, unusable: 0, refused: 0 };
  let last: SpamTrainResponse | undefined;
  for await (const file of messageFiles(paths)) {
    const request = { version: 1 as const, class: as, message: file.raw.toString('base64'), source: file.source.slice(-500), ...(file.truncatedFrom ? { truncatedFrom: file.truncatedFrom } : {}) };
    try {
      last = await bus.request(Requests.spamTrain, request, 30_000);
      counts[last.outcome] += 1;
      if (last.outcome === 'unusable') process.stderr.write(`mailctl: ${file.source}: no message text to learn from\n`);
    } catch (error) {
      // One refused message (e.g. not base64-clean) does not stop the others; no server does.
      if (!(error instanceof RemoteError)) throw error;
      counts.refused += 1;
      process.stderr.write(`mailctl: ${file.source}: ${error.message} (${error.code})\n`);
    }
  }
  if (counts.refused === 0 && last === undefined) return fail('no messages found', 1);
  const known = last ? `; the classifier knows ${last.spamMessages} spam and ${last.hamMessages} ham` : '';
  print(`learned ${counts.learned}, relearned ${counts.relearned}, already known ${counts.duplicate}, unusable ${counts.unusable}, refused ${counts.refused} as ${as}${known}\n`);
  return counts.refused > 0 ? 1 : 0;
}
