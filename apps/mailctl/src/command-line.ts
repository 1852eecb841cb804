/**
 * mailctl's command line → what to do: print help, refuse the usage (exit 2),
 * or run one admin command. Pure (no I/O), so every case is unit-tested.
 */
import { parseArgs } from 'node:util';
import { accountSettingParsers, aliasUsage, type AccountSettingCommand } from './account-setting-commands';
import { addressProblem, domainProblem } from './input-validation';
import { commandUsage, domainUsage, mainUsage, userUsage } from './usage';

export type PasswordSource = { readonly from: 'argument'; readonly value: string } | { readonly from: 'stdin' };

export type Command =
  | { readonly op: 'domain.add' | 'domain.remove'; readonly domain: string }
  | { readonly op: 'domain.list' }
  | { readonly op: 'user.add' | 'user.passwd'; readonly address: string; readonly password: PasswordSource }
  | { readonly op: 'user.remove'; readonly address: string }
  | { readonly op: 'user.list'; readonly domain?: string }
  | AccountSettingCommand;

export type Invocation =
  | { readonly kind: 'help'; readonly text: string }
  /** Bad usage or input: one line for stderr, exit status 2. */
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'run'; readonly command: Command };

const options = {
  help: { type: 'boolean', short: 'h' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  secret: { type: 'string' },
  'secret-stdin': { type: 'boolean' },
  clear: { type: 'boolean' },
} as const;

type Values = { help?: boolean; password?: string; 'password-stdin'?: boolean; secret?: string; 'secret-stdin'?: boolean; clear?: boolean };

const groupUsage: Record<string, string> = { domain: domainUsage, user: userUsage, alias: aliasUsage };

export function parseCommandLine(argv: readonly string[]): Invocation {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    return { kind: 'invalid', message: `${(error as Error).message.split('. ')[0]} (see mailctl --help)` };
  }
  const { values, positionals } = parsed;
  const [group, action, ...args] = positionals;
  if (group === undefined) return values.help ? { kind: 'help', text: mainUsage } : invalid('missing command (see mailctl --help)');
  const usageOfGroup = groupUsage[group];
  if (usageOfGroup === undefined) return invalid(`unknown command ${JSON.stringify(group)} (see mailctl --help)`);
  if (action === undefined) return values.help ? { kind: 'help', text: usageOfGroup } : invalid(`missing ${group} command (see mailctl ${group} --help)`);
  const name = `${group} ${action}`;
  const usage = commandUsage[name];
  if (usage === undefined) return invalid(`unknown command ${JSON.stringify(name)} (see mailctl ${group} --help)`);
  if (values.help) return { kind: 'help', text: usage };
  return commandOf(name, args, values);
}

function invalid(message: string): Invocation {
  return { kind: 'invalid', message };
}

/** Check the arguments and options of one command and validate its input. */
function commandOf(name: string, args: string[], values: Values): Invocation {
  const hint = ` (see mailctl ${name} --help)`;
  const accountSetting = accountSettingParsers[name];
  if (accountSetting !== undefined) {
    if (values.password !== undefined || values['password-stdin']) return invalid(`${name} takes no password option${hint}`);
    return accountSetting(args, values, hint);
  }
  if (values.secret !== undefined || values['secret-stdin'] || values.clear) return invalid(`${name} takes no --secret, --secret-stdin or --clear${hint}`);
  const takesPassword = name === 'user add' || name === 'user passwd';
  if (!takesPassword && (values.password !== undefined || values['password-stdin'])) return invalid(`${name} takes no password option${hint}`);
  const [arg, ...extra] = args;
  if (extra.length > 0) return invalid(`unexpected argument ${JSON.stringify(extra[0])}${hint}`);
  switch (name) {
    case 'domain list':
      return arg === undefined ? run({ op: 'domain.list' }) : invalid(`unexpected argument ${JSON.stringify(arg)}${hint}`);
    case 'user list':
      if (arg === undefined) return run({ op: 'user.list' });
      return checked(domainProblem(arg), { op: 'user.list', domain: arg });
    case 'domain add':
    case 'domain remove':
      if (arg === undefined) return invalid(`missing <domain>${hint}`);
      return checked(domainProblem(arg), { op: name === 'domain add' ? 'domain.add' : 'domain.remove', domain: arg });
    case 'user remove':
      if (arg === undefined) return invalid(`missing <address>${hint}`);
      return checked(addressProblem(arg), { op: 'user.remove', address: arg });
    default: {
      if (arg === undefined) return invalid(`missing <address>${hint}`);
      const password = passwordOf(values, hint);
      if (typeof password === 'string') return invalid(password);
      return checked(addressProblem(arg), { op: name === 'user add' ? 'user.add' : 'user.passwd', address: arg, password });
    }
  }
}

/** Exactly one of --password / --password-stdin; a string is the problem. */
function passwordOf(values: Values, hint: string): PasswordSource | string {
  if (values.password !== undefined && values['password-stdin']) return `give either --password or --password-stdin, not both${hint}`;
  if (values['password-stdin']) return { from: 'stdin' };
  if (values.password === undefined) return `missing --password <pw> or --password-stdin${hint}`;
  if (values.password === '') return 'the password must not be empty';
  return { from: 'argument', value: values.password };
}

function run(command: Command): Invocation {
  return { kind: 'run', command };
}

function checked(problem: string | undefined, command: Command): Invocation {
  return problem === undefined ? run(command) : invalid(problem);
}
