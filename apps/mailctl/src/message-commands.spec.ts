/** Unit tests of message-commands.ts: parsing `mailctl message list|move`. */
import { describe, expect, it } from 'vitest';
import { AdminRequest } from '@mail/contracts';
import { messageUsage, parseMessageCommand } from './message-commands';

const parse = (line: string) => parseMessageCommand(line.split(' '));
const uid = '0123456789abcdef0123456789abcdef';

describe('message commands', () => {
  it('parses list and move into valid admin requests', () => {
    expect(parse('message list bob@example.test')).toEqual({ kind: 'run', request: { version: 1, op: 'message.list', address: 'bob@example.test' } });
    expect(parse('message list bob@example.test --folder Junk')).toEqual({ kind: 'run', request: { version: 1, op: 'message.list', address: 'bob@example.test', folder: 'Junk' } });
    expect(parse(`message move bob@example.test ${uid} Junk`)).toEqual({ kind: 'run', request: { version: 1, op: 'message.move', address: 'bob@example.test', uid, folder: 'Junk' } });
    for (const line of ['message list bob@example.test --folder INBOX', `message move bob@example.test ${uid} INBOX`]) {
      const invocation = parse(line);
      if (invocation.kind !== 'run') throw new Error(line);
      expect(AdminRequest.safeParse(invocation.request).success, line).toBe(true);
    }
  });

  it('prints help', () => {
    expect(parse('message --help')).toEqual({ kind: 'help', text: messageUsage });
    expect(parse('message move -h')).toEqual({ kind: 'help', text: messageUsage });
  });

  const refusals: [string, RegExp][] = [
    ['message', /missing message command/],
    ['message delete bob@example.test', /unknown message command "delete"/],
    ['message list', /missing <address>/],
    ['message list bob', /invalid address "bob"/],
    ['message list bob@example.test --folder Spam', /invalid folder "Spam"/],
    ['message list bob@example.test --bogus', /Unknown option '--bogus'/],
    ['message move bob@example.test', /missing <uid> <INBOX\|Junk>/],
    [`message move bob@example.test ${uid}`, /missing <INBOX\|Junk>/],
    ['message move bob@example.test 42 Junk', /invalid uid "42"/],
    [`message move bob@example.test ${uid} junk`, /invalid folder "junk"/],
    [`message move bob@example.test ${uid} Junk extra`, /unexpected argument "extra"/],
    [`message move bob@example.test ${uid} Junk --folder Junk`, /takes no --folder/],
  ];
  it.each(refusals)('refuses %s', (line, message) => {
    const invocation = parse(line);
    expect(invocation.kind).toBe('invalid');
    if (invocation.kind === 'invalid') expect(invocation.message).toMatch(message);
  });
});
