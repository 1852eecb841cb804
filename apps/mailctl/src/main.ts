/**
 * mailctl — administer domains and users (see usage.ts). Exit status: 0 done,
 * 1 refused by mailbox-store or no answer, 2 invalid usage or input.
 */
import { sendAdminRequest } from './admin-client';
import { loadBusSettings } from './bus-settings';
import { adminRequestOf } from './admin-request';
import { parseCommandLine, type Command } from './command-line';
import { runMessageCommand } from './message-commands';
import { readPasswordLine } from './read-password';
import { runRelayCommand } from './relay-commands';
import { renderRows } from './render-rows';
import { runSpamCommand } from './spam-commands';
import { runTraceCommand } from './trace-commands';

/** The password (or APOP secret) of the command, read from stdin when asked to. */
async function passwordFor(command: Command): Promise<string | undefined> {
  const source = 'password' in command ? command.password : 'secret' in command ? command.secret : null;
  if (source === null) return undefined;
  return source.from === 'argument' ? source.value : readPasswordLine(process.stdin);
}

async function main(argv: string[]): Promise<number> {
  // queue and dkim commands are answered by outbound-relay (relay-commands.ts)
  const relayCommand = runRelayCommand(argv);
  if (relayCommand) return relayCommand;
  // trace reads the streams itself (trace-commands.ts)
  const traceCommand = runTraceCommand(argv);
  if (traceCommand) return traceCommand;
  // spam commands are answered by spam-filter (spam-commands.ts)
  const spamCommand = runSpamCommand(argv);
  if (spamCommand) return spamCommand;
  // message list / move (message-commands.ts)
  const messageCommand = runMessageCommand(argv);
  if (messageCommand) return messageCommand;
  const invocation = parseCommandLine(argv);
  if (invocation.kind === 'help') {
    process.stdout.write(invocation.text);
    return 0;
  }
  if (invocation.kind === 'invalid') {
    process.stderr.write(`mailctl: ${invocation.message}\n`);
    return 2;
  }
  const password = await passwordFor(invocation.command);
  if (password === '') {
    process.stderr.write(`mailctl: no ${'secret' in invocation.command ? 'secret' : 'password'} on standard input\n`);
    return 2;
  }
  const settings = loadBusSettings();
  const outcome = await sendAdminRequest(settings, adminRequestOf(invocation.command, password));
  if (outcome.kind === 'refused') {
    process.stderr.write(`mailctl: ${outcome.message} (${outcome.code})\n`);
    return 1;
  }
  if (outcome.kind === 'unreachable') {
    process.stderr.write(`mailctl: ${outcome.message}\n`);
    return 1;
  }
  process.stdout.write(outcome.rows && outcome.rows.length > 0 ? renderRows(outcome.rows) : `${outcome.message}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
