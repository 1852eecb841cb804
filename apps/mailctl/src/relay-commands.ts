/**
 * The mailctl commands answered by outbound-relay rather than mailbox-store:
 * `queue ...` and `dkim ...`. main.ts hands the command line here first;
 * anything else goes on to the account commands.
 */
import { parseArgs } from 'node:util';
import { loadBusSettings } from './bus-settings';
import { Requests } from '@mail/contracts';
import { parseDkimCommand, renderDkimResponse } from './dkim-commands';
import { parseQueueCommand, renderQueueResponse } from './queue-commands';
import { sendRelayRequest, type RelayOutcome } from './relay-client';
import { fail, print } from './command-output';

/** Usage lines for the main help. */
export const relayCommandsUsage = `  queue list                          mail waiting for remote delivery (like mailq)
  queue show|retry|delete <queue-id>  inspect one, try it now, or drop it
  dkim generate <domain> [--selector <s>] [--replace]
                                      create a DKIM key; prints the DNS record to publish
  dkim show|remove <domain>, dkim list
`;

const options = { help: { type: 'boolean', short: 'h' }, selector: { type: 'string' }, replace: { type: 'boolean' } } as const;

/** Runs `queue`/`dkim` commands (resolving to the exit status); undefined for any other command. */
export function runRelayCommand(argv: readonly string[]): Promise<number> | undefined {
  const group = argv.find((arg) => !arg.startsWith('-'));
  if (group !== 'queue' && group !== 'dkim') return undefined;
  return run(group, argv);
}

async function run(group: 'queue' | 'dkim', argv: readonly string[]): Promise<number> {
  let values: { help?: boolean; selector?: string; replace?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }));
  } catch (error) {
    return fail(`${(error as Error).message.split('. ')[0]} (see mailctl ${group} --help)`, 2);
  }
  const args = positionals.slice(1);
  const help = values.help === true;
  if (group === 'queue') {
    if (values.selector !== undefined || values.replace) return fail('queue commands take no --selector or --replace (see mailctl queue --help)', 2);
    const invocation = parseQueueCommand(args, help);
    if (invocation.kind !== 'run') return invocation.kind === 'help' ? print(invocation.text) : fail(invocation.message, 2);
    const { request } = invocation;
    return finish(await sendRelayRequest(busSettings(), Requests.relayQueue, request), (response) => renderQueueResponse(request, response));
  }
  const dkimOptions = { ...(values.selector !== undefined ? { selector: values.selector } : {}), ...(values.replace ? { replace: true } : {}) };
  const invocation = parseDkimCommand(args, dkimOptions, help);
  if (invocation.kind !== 'run') return invocation.kind === 'help' ? print(invocation.text) : fail(invocation.message, 2);
  const { request } = invocation;
  return finish(await sendRelayRequest(busSettings(), Requests.relayDkim, request), (response) => renderDkimResponse(request, response));
}

function busSettings() {
  return loadBusSettings();
}

function finish<T>(outcome: RelayOutcome<T>, render: (response: T) => string): number {
  if (outcome.kind === 'refused') return fail(`${outcome.message} (${outcome.code})`, 1);
  if (outcome.kind === 'unreachable') return fail(outcome.message, 1);
  return print(render(outcome.response));
}
