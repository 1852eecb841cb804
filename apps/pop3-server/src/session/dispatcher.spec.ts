// Tests of dispatcher.ts: one reply per line, containment of failures, the error budget.
import { describe, expect, it } from 'vitest';
import { createHarness } from '../test-support/command-harness';
import { CommandDispatcher } from './dispatcher';

const line = (text: string) => ({ kind: 'line' as const, text });

describe('CommandDispatcher', () => {
  it('runs a session through USER, PASS, STAT and QUIT', async () => {
    const { ctx, channel, mailbox } = createHarness();
    mailbox.addUser('bob@example.test', 'hungry', ['hi\r\n']);
    const dispatcher = new CommandDispatcher(ctx);
    expect(await dispatcher.dispatch(line('user bob@example.test'))).toBe('continue');
    expect(await dispatcher.dispatch(line('pass hungry'))).toBe('continue');
    expect(await dispatcher.dispatch(line('STAT'))).toBe('continue');
    expect(await dispatcher.dispatch(line('QUIT'))).toBe('close');
    expect(channel.take()).toBe('+OK send PASS\r\n+OK maildrop has 1 message (4 octets)\r\n+OK 1 4\r\n' + '+OK pop.example.test POP3 server signing off (1 message left)\r\n');
  });

  it('refuses unknown, malformed, over-long and misplaced commands', async () => {
    const { ctx, channel } = createHarness();
    const dispatcher = new CommandDispatcher(ctx);
    await dispatcher.dispatch(line('EHLO example.test'));
    await dispatcher.dispatch(line('RETR x'));
    await dispatcher.dispatch({ kind: 'too-long' });
    await dispatcher.dispatch(line('STAT'));
    expect(channel.take()).toBe(
      '-ERR unknown command\r\n' +
        '-ERR RETR message number must be a positive integer\r\n' +
        '-ERR command line too long (limit 255 octets including CRLF)\r\n' +
        '-ERR STAT not allowed in AUTHORIZATION state\r\n',
    );
  });

  it('turns an unexpected failure into SYS/TEMP and goes on', async () => {
    const { ctx, channel, mailbox } = createHarness();
    mailbox.verifyCredentials = async () => {
      throw new TypeError('bug');
    };
    const dispatcher = new CommandDispatcher(ctx);
    await dispatcher.dispatch(line('USER bob@example.test'));
    expect(await dispatcher.dispatch(line('PASS x'))).toBe('continue');
    expect(channel.take()).toBe('+OK send PASS\r\n-ERR [SYS/TEMP] internal server error\r\n');
  });

  it('closes the session at the error limit with a single last reply', async () => {
    const { ctx, channel } = createHarness({ maxErrors: 3 });
    const dispatcher = new CommandDispatcher(ctx);
    expect(await dispatcher.dispatch(line('XXXX'))).toBe('continue');
    expect(await dispatcher.dispatch(line('XXXX'))).toBe('continue');
    expect(await dispatcher.dispatch(line('XXXX'))).toBe('close');
    expect(channel.take()).toBe('-ERR unknown command\r\n-ERR unknown command\r\n-ERR unknown command (too many errors, closing connection)\r\n');
  });
});
