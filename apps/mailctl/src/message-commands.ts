/**
 * The mailctl commands on a user's messages, answered by mailbox-store
 * (admin message.list / message.move). Moving a message into Junk teaches
 * spam-filter it is spam; out of Junk, that it is ham. main.ts hands the
 * command line here first; anything else goes on.
 *
 *   message list <address> [--folder INBOX|Junk]
 *   message move <address> <uid> <INBOX|Junk>
 */
import { parseArgs } from 'node:util';
import { MessageUid, UserFolder, type AdminRequest } from '@mail/contracts';
import { sendAdminRequest } from './admin-client';
import { loadBusSettings } from './bus-settings';
import { addressProblem } from './input-validation';
import { renderRows } from './render-rows';
import { fail, print } from './command-output';

export type MessageInvocation =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'run'; readonly request: Extract<AdminRequest, { op: `message.${string}` }> };

/** Usage lines for the main help. */
export const messageCommandsUsage = `  message list <address> [--folder INBOX|Junk]
                                      list a user's messages with their uids
  message move <address> <uid> <INBOX|Junk>
                                      move a message; into Junk teaches the spam filter spam, out of it ham
`;

export const messageUsage = `Usage: mailctl message <list|move> ...

  message list <address> [--folder INBOX|Junk]
  message move <address> <uid> <INBOX|Junk>

Moving a message into Junk tells spam-filter's classifier it is spam; moving
it out of Junk (to INBOX), that it is ham. Moving it where it already is
changes nothing. Answered by mailbox-store over NATS (NATS_URL, NATS_NAMESPACE).
`;

const options = { help: { type: 'boolean', short: 'h' }, folder: { type: 'string' } } as const;
const invalid = (message: string): MessageInvocation => ({ kind: 'invalid', message });

function folderProblem(input: string): string | undefined {
  return UserFolder.safeParse(input).success ? undefined : `invalid folder ${JSON.stringify(input)}: expected INBOX or Junk`;
}

/** `mailctl message ...` → what to do. Pure (no I/O); `argv` starts with `message`. */
export function parseMessageCommand(argv: readonly string[]): MessageInvocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    return invalid(`${(error as Error).message.split('. ')[0]} (see mailctl message --help)`);
  }
  const [, command, ...args] = parsed.positionals;
  const { folder, help } = parsed.values;
  if (help || command === undefined) return command === undefined && !help ? invalid('missing message command (list or move); see mailctl message --help') : { kind: 'help', text: messageUsage };
  const hint = ` (see mailctl message ${command} --help)`;
  if (command === 'list') {
    if (args.length === 0) return invalid(`missing <address>${hint}`);
    if (args.length > 1) return invalid(`unexpected argument ${JSON.stringify(args[1])}${hint}`);
    const address = args[0] ?? '';
    const bad = addressProblem(address) ?? (folder === undefined ? undefined : folderProblem(folder));
    if (bad) return invalid(bad);
    return { kind: 'run', request: { version: 1, op: 'message.list', address, ...(folder === undefined ? {} : { folder: UserFolder.parse(folder) }) } };
  }
  if (command === 'move') {
    if (folder !== undefined) return invalid(`message move takes no --folder; the folder is its last argument${hint}`);
    if (args.length < 3) return invalid(`missing ${['<address>', '<uid>', '<INBOX|Junk>'].slice(args.length).join(' ')}${hint}`);
    if (args.length > 3) return invalid(`unexpected argument ${JSON.stringify(args[3])}${hint}`);
    const [address = '', uid = '', to = ''] = args;
    const bad =
      addressProblem(address) ?? (MessageUid.safeParse(uid).success ? undefined : `invalid uid ${JSON.stringify(uid)}: expected 32 hex digits as mailctl message list shows`) ?? folderProblem(to);
    if (bad) return invalid(bad);
    return { kind: 'run', request: { version: 1, op: 'message.move', address, uid, folder: UserFolder.parse(to) } };
  }
  return invalid(`unknown message command ${JSON.stringify(command)}; expected list or move`);
}

/** Runs `message` commands (resolving to the exit status); undefined for any other command. */
export function runMessageCommand(argv: readonly string[]): Promise<number> | undefined {
  if (argv.find((arg) => !arg.startsWith('-')) !== 'message') return undefined;
  return run(argv);
}

async function run(argv: readonly string[]): Promise<number> {
  const invocation = parseMessageCommand(argv);
  if (invocation.kind === 'help') return print(invocation.text);
  if (invocation.kind === 'invalid') return fail(invocation.message, 2);
  const settings = loadBusSettings();
  const outcome = await sendAdminRequest(settings, invocation.request);
  if (outcome.kind === 'refused') return fail(`${outcome.message} (${outcome.code})`, 1);
  if (outcome.kind === 'unreachable') return fail(outcome.message, 1);
  return print(outcome.rows && outcome.rows.length > 0 ? renderRows(outcome.rows) : `${outcome.message}\n`);
}
