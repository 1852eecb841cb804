/** Unit tests of command-line.ts: every command, help on every level, and the refusals. */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './command-line';
import { commandUsage, domainUsage, mainUsage, userUsage } from './usage';

const parse = (line: string) => parseCommandLine(line === '' ? [] : line.split(' '));

describe('parseCommandLine: commands', () => {
  it('parses every command', () => {
    expect(parse('domain add example.test')).toEqual({ kind: 'run', command: { op: 'domain.add', domain: 'example.test' } });
    expect(parse('domain remove example.test')).toEqual({ kind: 'run', command: { op: 'domain.remove', domain: 'example.test' } });
    expect(parse('domain list')).toEqual({ kind: 'run', command: { op: 'domain.list' } });
    expect(parse('user add bob@example.test --password s3cret')).toEqual({
      kind: 'run',
      command: { op: 'user.add', address: 'bob@example.test', password: { from: 'argument', value: 's3cret' } },
    });
    expect(parse('user passwd bob@example.test --password-stdin')).toEqual({
      kind: 'run',
      command: { op: 'user.passwd', address: 'bob@example.test', password: { from: 'stdin' } },
    });
    expect(parse('user remove bob@example.test')).toEqual({ kind: 'run', command: { op: 'user.remove', address: 'bob@example.test' } });
    expect(parse('user list')).toEqual({ kind: 'run', command: { op: 'user.list' } });
    expect(parse('user list example.test')).toEqual({ kind: 'run', command: { op: 'user.list', domain: 'example.test' } });
  });

  it('accepts options before the arguments and --password=value', () => {
    expect(parse('user add --password=pw bob@example.test')).toMatchObject({ kind: 'run', command: { password: { from: 'argument', value: 'pw' } } });
  });
});

describe('parseCommandLine: help on every level', () => {
  it('prints the usage of the level asked', () => {
    expect(parse('--help')).toEqual({ kind: 'help', text: mainUsage });
    expect(parse('-h')).toEqual({ kind: 'help', text: mainUsage });
    expect(parse('domain --help')).toEqual({ kind: 'help', text: domainUsage });
    expect(parse('user -h')).toEqual({ kind: 'help', text: userUsage });
    expect(parse('user add --help')).toEqual({ kind: 'help', text: commandUsage['user add'] });
    expect(parse('domain list --help')).toEqual({ kind: 'help', text: commandUsage['domain list'] });
  });
});

describe('parseCommandLine: refusals (exit 2, one line)', () => {
  const refusals: [string, RegExp][] = [
    ['', /missing command/],
    ['mailbox add x', /unknown command "mailbox"/],
    ['domain', /missing domain command/],
    ['domain frob x.test', /unknown command "domain frob"/],
    ['domain add', /missing <domain>/],
    ['domain add not_a_domain', /invalid domain "not_a_domain"/],
    ['domain add a.test b.test', /unexpected argument "b.test"/],
    ['domain list extra.test', /unexpected argument/],
    ['domain add x.test --password pw', /takes no password option/],
    ['user add bob@example.test', /missing --password/],
    ['user add bob@example.test --password pw --password-stdin', /either --password or --password-stdin/],
    ['user add bob --password pw', /invalid address "bob"/],
    ['user add bob@nodot --password pw', /invalid address/],
    ['user remove', /missing <address>/],
    ['user list bad_domain', /invalid domain/],
    ['user add bob@example.test --pasword pw', /Unknown option '--pasword'/],
  ];
  it.each(refusals)('%s', (line, message) => {
    const result = parse(line);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.message).toMatch(message);
    expect(result.kind === 'invalid' && result.message).not.toContain('\n');
  });

  it('refuses an empty password', () => {
    expect(parseCommandLine(['user', 'add', 'bob@example.test', '--password', ''])).toEqual({ kind: 'invalid', message: 'the password must not be empty' });
  });
});
