/** Unit tests of account-setting-commands.ts through parseCommandLine: aliases, quotas and APOP secrets. */
import { describe, expect, it } from 'vitest';
import { AdminRequest } from '@mail/contracts';
import { accountSettingUsage, aliasUsage } from './account-setting-commands';
import { adminRequestOf } from './admin-request';
import { parseCommandLine } from './command-line';

const parse = (line: string) => parseCommandLine(line.split(' '));

describe('alias and user setting commands', () => {
  it('parses every command', () => {
    expect(parse('alias add sales@example.test bob@example.test,Carol@example.test')).toEqual({
      kind: 'run',
      command: { op: 'alias.add', address: 'sales@example.test', targets: ['bob@example.test', 'Carol@example.test'] },
    });
    expect(parse('alias add @example.test bob@example.test')).toEqual({ kind: 'run', command: { op: 'alias.add', address: '@example.test', targets: ['bob@example.test'] } });
    expect(parse('alias remove @example.test')).toEqual({ kind: 'run', command: { op: 'alias.remove', address: '@example.test' } });
    expect(parse('alias list')).toEqual({ kind: 'run', command: { op: 'alias.list' } });
    expect(parse('alias list example.test')).toEqual({ kind: 'run', command: { op: 'alias.list', domain: 'example.test' } });
    expect(parse('user quota bob@example.test 10M')).toEqual({ kind: 'run', command: { op: 'user.quota', address: 'bob@example.test', bytes: 10 * 1024 * 1024 } });
    expect(parse('user quota bob@example.test none')).toEqual({ kind: 'run', command: { op: 'user.quota', address: 'bob@example.test', bytes: null } });
    expect(parse('user apop mrose@example.test --secret tanstaaf')).toEqual({
      kind: 'run',
      command: { op: 'user.apop', address: 'mrose@example.test', secret: { from: 'argument', value: 'tanstaaf' } },
    });
    expect(parse('user apop mrose@example.test --secret-stdin')).toMatchObject({ command: { secret: { from: 'stdin' } } });
    expect(parse('user apop mrose@example.test --clear')).toMatchObject({ command: { secret: null } });
  });

  it('builds valid admin requests', () => {
    const lines = [
      'alias add sales@example.test bob@example.test,carol@example.test',
      'alias remove sales@example.test',
      'alias list',
      'user quota bob@example.test 1G',
      'user quota bob@example.test none',
      'user apop mrose@example.test --secret tanstaaf',
      'user apop mrose@example.test --clear',
    ];
    for (const line of lines) {
      const invocation = parse(line);
      if (invocation.kind !== 'run') throw new Error(line);
      expect(AdminRequest.safeParse(adminRequestOf(invocation.command)).success, line).toBe(true);
    }
    const stdin = parse('user apop mrose@example.test --secret-stdin');
    if (stdin.kind !== 'run') throw new Error('stdin');
    expect(adminRequestOf(stdin.command, 'from stdin')).toEqual({ version: 1, op: 'user.apop', address: 'mrose@example.test', secret: 'from stdin' });
  });

  it('prints help for the alias group and each command', () => {
    expect(parse('alias --help')).toEqual({ kind: 'help', text: aliasUsage });
    expect(parse('user quota --help')).toEqual({ kind: 'help', text: accountSettingUsage['user quota'] });
    expect(parse('alias add -h')).toEqual({ kind: 'help', text: accountSettingUsage['alias add'] });
  });

  const refusals: [string, RegExp][] = [
    ['alias', /missing alias command/],
    ['alias add sales@example.test', /missing <target>/],
    ['alias add sales@example.test ,', /missing <target>/],
    ['alias add sales bob@example.test', /invalid alias "sales"/],
    ['alias add @not_a_domain bob@example.test', /invalid alias "@not_a_domain"/],
    ['alias add sales@example.test bob', /invalid address "bob"/],
    ['alias add sales@example.test bob@example.test extra', /unexpected argument "extra"/],
    ['alias remove', /missing <address>/],
    ['alias list bad_domain', /invalid domain/],
    ['alias add sales@example.test bob@example.test --password pw', /takes no password option/],
    ['user quota bob@example.test', /missing <size>/],
    ['user quota bob@example.test 1.5G', /invalid size "1.5G"/],
    ['user quota bob 10M', /invalid address "bob"/],
    ['user quota bob@example.test 10M --clear', /takes no --secret/],
    ['user apop mrose@example.test', /exactly one of --secret/],
    ['user apop mrose@example.test --secret x --clear', /exactly one of --secret/],
    ['user add bob@example.test --password pw --secret x', /takes no --secret/],
  ];
  it.each(refusals)('refuses %s', (line, message) => {
    const result = parse(line);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.message).toMatch(message);
    expect(result.kind === 'invalid' && result.message).not.toContain('\n');
  });

  it('refuses an empty APOP secret', () => {
    expect(parseCommandLine(['user', 'apop', 'mrose@example.test', '--secret', ''])).toEqual({ kind: 'invalid', message: 'the APOP secret must not be empty' });
  });
});
