/**
 * Runs `mailctl trace`: parse (trace-command.ts), read the streams
 * (message-journey.ts), print one journey per matching message.
 */
import { parseArgs } from 'node:util';
import { loadBusSettings } from './bus-settings';
import { readJourneys } from './message-journey';
import { parseTraceCommand, renderJourney } from './trace-command';
import { fail } from './command-output';

/** Usage line for the main help. */
export const traceCommandsUsage = `  trace <queue-id | Message-ID>       the journey of one message across the services
`;

/** Runs `trace` (resolving to the exit status); undefined for any other command. */
export function runTraceCommand(argv: readonly string[]): Promise<number> | undefined {
  const group = argv.find((arg) => !arg.startsWith('-'));
  return group === 'trace' ? run(argv) : undefined;
}

async function run(argv: readonly string[]): Promise<number> {
  let help: boolean;
  let args: string[];
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    help = values.help === true;
    args = positionals.slice(1);
  } catch (error) {
    return fail(`${(error as Error).message.split('. ')[0]} (see mailctl trace --help)`, 2);
  }
  const invocation = parseTraceCommand(args, help);
  if (invocation.kind === 'help') {
    process.stdout.write(invocation.text);
    return 0;
  }
  if (invocation.kind === 'invalid') return fail(invocation.message, 2);
  const settings = loadBusSettings();
  let journeys;
  try {
    journeys = await readJourneys(settings, invocation.target);
  } catch (error) {
    return fail(`cannot read the streams at ${settings.natsUrl}: ${(error as Error).message}`, 1);
  }
  const found = [...journeys].filter(([, events]) => events.length > 0);
  const { target } = invocation;
  if (found.length === 0) {
    const name = target.kind === 'queue-id' ? `queue id ${target.queueId}` : `Message-ID <${target.messageId}>`;
    return fail(`no events for ${name} (older than the streams' max_age, or never received)`, 1);
  }
  process.stdout.write(found.map(([queueId, events]) => renderJourney(queueId, events)).join('\n'));
  return 0;
}
