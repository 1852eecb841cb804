/**
 * The mailctl commands for aliases and per-user settings, parsed from their
 * arguments and options (command-line.ts hands them over by name):
 *
 *   alias add <address> <target>[,<target>...]   alias remove <address>   alias list [domain]
 *   user quota <address> <size|none>              user apop <address> (--secret <s> | --secret-stdin | --clear)
 */
import type { Command, Invocation, PasswordSource } from './command-line';
import { addressProblem, domainProblem } from './input-validation';
import { parseQuotaSize } from './quota-size';

export type AccountSettingCommand =
  | { readonly op: 'alias.add'; readonly address: string; readonly targets: string[] }
  | { readonly op: 'alias.remove'; readonly address: string }
  | { readonly op: 'alias.list'; readonly domain?: string }
  | { readonly op: 'user.quota'; readonly address: string; readonly bytes: number | null }
  /** `secret` null clears it; read like a password (argument or stdin). */
  | { readonly op: 'user.apop'; readonly address: string; readonly secret: PasswordSource | null };

/** The options these commands may receive (parsed by command-line.ts). */
export interface SecretOptions {
  readonly secret?: string;
  readonly 'secret-stdin'?: boolean;
  readonly clear?: boolean;
}

type Parser = (args: readonly string[], options: SecretOptions, hint: string) => Invocation;

const invalid = (message: string): Invocation => ({ kind: 'invalid', message });
const run = (command: Command): Invocation => ({ kind: 'run', command });

/** Undefined when valid: `local@domain` or `@domain` (catch-all). */
function aliasProblem(input: string): string | undefined {
  if (input.startsWith('@')) {
    return domainProblem(input.slice(1)) === undefined ? undefined : `invalid alias ${JSON.stringify(input)}: expected local@domain, or @domain for a catch-all`;
  }
  return addressProblem(input) === undefined ? undefined : `invalid alias ${JSON.stringify(input)}: expected local@domain, or @domain for a catch-all`;
}

function noSecretOptions(options: SecretOptions, name: string, hint: string): string | undefined {
  return options.secret !== undefined || options['secret-stdin'] || options.clear ? `${name} takes no --secret, --secret-stdin or --clear${hint}` : undefined;
}

function exactly(args: readonly string[], count: number, names: string, hint: string): string | undefined {
  if (args.length < count) return `missing ${names.split(' ').slice(args.length).join(' ')}${hint}`;
  if (args.length > count) return `unexpected argument ${JSON.stringify(args[count])}${hint}`;
  return undefined;
}

const aliasAdd: Parser = (args, options, hint) => {
  const problem = noSecretOptions(options, 'alias add', hint) ?? exactly(args, 2, '<address> <target>[,<target>...]', hint);
  if (problem) return invalid(problem);
  const [address = '', list = ''] = args;
  const targets = list
    .split(',')
    .map((target) => target.trim())
    .filter((target) => target !== '');
  if (targets.length === 0) return invalid(`missing <target>${hint}`);
  if (targets.length > 100) return invalid('an alias has at most 100 targets');
  const bad = aliasProblem(address) ?? targets.map(addressProblem).find((p) => p !== undefined);
  return bad ? invalid(bad) : run({ op: 'alias.add', address, targets });
};

const aliasRemove: Parser = (args, options, hint) => {
  const problem = noSecretOptions(options, 'alias remove', hint) ?? exactly(args, 1, '<address>', hint);
  if (problem) return invalid(problem);
  const [address = ''] = args;
  const bad = aliasProblem(address);
  return bad ? invalid(bad) : run({ op: 'alias.remove', address });
};

const aliasList: Parser = (args, options, hint) => {
  const problem = noSecretOptions(options, 'alias list', hint);
  if (problem) return invalid(problem);
  if (args.length > 1) return invalid(`unexpected argument ${JSON.stringify(args[1])}${hint}`);
  const [domain] = args;
  if (domain === undefined) return run({ op: 'alias.list' });
  const bad = domainProblem(domain);
  return bad ? invalid(bad) : run({ op: 'alias.list', domain });
};

const userQuota: Parser = (args, options, hint) => {
  const problem = noSecretOptions(options, 'user quota', hint) ?? exactly(args, 2, '<address> <size>', hint);
  if (problem) return invalid(problem);
  const [address = '', size = ''] = args;
  const bytes = parseQuotaSize(size);
  if (bytes === undefined) return invalid(`invalid size ${JSON.stringify(size)}: expected octets, a number with K, M, G or T (powers of 1024), or none`);
  const bad = addressProblem(address);
  return bad ? invalid(bad) : run({ op: 'user.quota', address, bytes });
};

const userApop: Parser = (args, options, hint) => {
  const problem = exactly(args, 1, '<address>', hint);
  if (problem) return invalid(problem);
  const [address = ''] = args;
  const given = [options.secret !== undefined, options['secret-stdin'] === true, options.clear === true].filter(Boolean).length;
  if (given !== 1) return invalid(`give exactly one of --secret <s>, --secret-stdin or --clear${hint}`);
  if (options.secret === '') return invalid('the APOP secret must not be empty');
  const bad = addressProblem(address);
  if (bad) return invalid(bad);
  const secret: PasswordSource | null = options.clear ? null : options.secret !== undefined ? { from: 'argument', value: options.secret } : { from: 'stdin' };
  return run({ op: 'user.apop', address, secret });
};

/** Parsers by command name (`alias add`, `user quota`, ...). */
export const accountSettingParsers: Readonly<Record<string, Parser>> = {
  'alias add': aliasAdd,
  'alias remove': aliasRemove,
  'alias list': aliasList,
  'user quota': userQuota,
  'user apop': userApop,
};

export const aliasUsage = `Usage: mailctl alias <add|remove|list> ...
  alias add <address> <target>[,<target>...]
  alias remove <address>
  alias list [domain]
An alias delivers to one or more users; @domain is the domain's catch-all,
used for addresses of the domain that are neither a user nor an alias.
`;

const secretOptions = `Options:
  --secret <s>      the APOP secret (visible to other local users in the process list)
  --secret-stdin    read the secret from standard input (one line)
  --clear           remove the secret: APOP is then refused for the user
`;

export const accountSettingUsage: Record<string, string> = {
  'alias add': `Usage: mailctl alias add <address> <target>[,<target>...]\n\nDeliver mail for <address> to every target. Targets are users; <address> is\nlocal@domain, or @domain for the catch-all of a domain.\n`,
  'alias remove': `Usage: mailctl alias remove <address>\n\nRemove an alias or a catch-all (@domain).\n`,
  'alias list': `Usage: mailctl alias list [domain]\n\nList the aliases of one domain, or of all domains.\n`,
  'user quota': `Usage: mailctl user quota <address> <size|none>\n\nLimit what a user may hold (INBOX and Junk together). <size> is octets or a\nnumber with K, M, G or T (powers of 1024), e.g. 10M or 1G; none removes the\nlimit. Mail that would exceed it is refused (552 5.2.2).\n`,
  'user apop': `Usage: mailctl user apop <address> (--secret <s> | --secret-stdin | --clear)\n\nSet or clear the user's APOP shared secret (RFC 1939). mailbox-store keeps it\nencrypted under APOP_SECRET_KEY. Use a secret different from the password.\n\n${secretOptions}`,
};
