import { describe, expect, it } from 'vitest';
import type { SmtpReply } from '@mail/smtp';
import { MessageContentError, SmtpConnectionError, type SmtpTarget } from '@mail/smtp-client';
import { deliverToDestination, targetsOf } from './destination-delivery';
import type { Destination } from './destinations';
import type { AttemptHost, HostAttempt } from './host-attempt';
import type { RecipientResult } from './transaction-result';

const destination: Destination = {
  domains: ['example.test'],
  recipients: ['a@example.test', 'b@example.test'],
  hosts: [
    { name: 'mx1.example.test', preference: 10, addresses: ['127.0.0.2'] },
    { name: 'mx2.example.test', preference: 20, addresses: ['127.0.0.3', '127.0.0.4'] },
  ],
};
const reply = (code: number): SmtpReply => ({ code, lines: ['text'] });

/** An AttemptHost answering from a script keyed by address; records what it was asked. */
function scripted(script: Record<string, (recipients: readonly string[]) => Omit<HostAttempt, 'target' | 'transactions'>>) {
  const calls: { address: string; recipients: readonly string[] }[] = [];
  const attempt: AttemptHost = async (target: SmtpTarget, recipients) => {
    calls.push({ address: target.address, recipients });
    const answer = script[target.address];
    if (!answer) throw new Error(`unexpected attempt at ${target.address}`);
    return { target, transactions: 1, ...answer(recipients) };
  };
  return { attempt, calls };
}
const all = (status: 'delivered' | 'temporary' | 'permanent', code: number) => (recipients: readonly string[]) => ({
  results: recipients.map((recipient): RecipientResult => ({ recipient, status, reply: reply(code), stage: 'end of data' })),
});
const unreachable = (recipients: readonly string[]) => ({
  failure: new SmtpConnectionError('connect failed: ECONNREFUSED'),
  results: recipients.map((recipient): RecipientResult => ({ recipient, status: 'untried' })),
});

describe('deliverToDestination', () => {
  it('tries every host address in preference order', () => {
    expect(targetsOf(destination, 2525).map((t) => `${t.host}[${t.address}]:${t.port}`)).toEqual([
      'mx1.example.test[127.0.0.2]:2525',
      'mx2.example.test[127.0.0.3]:2525',
      'mx2.example.test[127.0.0.4]:2525',
    ]);
  });

  it('stops at the first server that takes the transaction', async () => {
    const { attempt, calls } = scripted({ '127.0.0.2': all('delivered', 250) });
    const outcomes = await deliverToDestination(destination, 25, attempt);
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'delivered']);
    expect(outcomes[0]?.detail).toBe('mx1.example.test[127.0.0.2] said: 250 text (in reply to end of data)');
    expect(calls).toHaveLength(1);
  });

  it('moves to the next server when one cannot be reached', async () => {
    const { attempt, calls } = scripted({ '127.0.0.2': unreachable, '127.0.0.3': all('delivered', 250) });
    const outcomes = await deliverToDestination(destination, 25, attempt);
    expect(outcomes.map((o) => [o.status, o.remote?.address])).toEqual([
      ['delivered', '127.0.0.3'],
      ['delivered', '127.0.0.3'],
    ]);
    expect(calls.map((c) => c.address)).toEqual(['127.0.0.2', '127.0.0.3']);
  });

  it('offers only the temporarily refused recipients to the next server; permanent refusals are settled', async () => {
    const { attempt, calls } = scripted({
      '127.0.0.2': () => ({
        results: [
          { recipient: 'a@example.test', status: 'permanent', reply: reply(550), stage: 'RCPT TO' },
          { recipient: 'b@example.test', status: 'temporary', reply: reply(450), stage: 'RCPT TO' },
        ],
      }),
      '127.0.0.3': all('delivered', 250),
    });
    const outcomes = await deliverToDestination(destination, 25, attempt);
    expect(outcomes.map((o) => o.status)).toEqual(['permanent', 'delivered']);
    expect(calls[1]?.recipients).toEqual(['b@example.test']);
  });

  it('leaves recipients temporarily failed, with the last reason, when no server works', async () => {
    const { attempt, calls } = scripted({ '127.0.0.2': unreachable, '127.0.0.3': unreachable, '127.0.0.4': all('temporary', 421) });
    const outcomes = await deliverToDestination(destination, 25, attempt);
    expect(outcomes.map((o) => o.status)).toEqual(['temporary', 'temporary']);
    expect(outcomes[0]?.detail).toContain('mx2.example.test[127.0.0.4] said: 421');
    expect(calls).toHaveLength(3);
  });

  it('does not try other servers when our own message cannot be read', async () => {
    const { attempt, calls } = scripted({
      '127.0.0.2': (recipients) => ({
        failure: new MessageContentError('reading the message failed: body not found'),
        results: recipients.map((recipient): RecipientResult => ({ recipient, status: 'untried' })),
      }),
    });
    const outcomes = await deliverToDestination(destination, 25, attempt);
    expect(outcomes.map((o) => o.status)).toEqual(['temporary', 'temporary']);
    expect(outcomes[0]?.detail).toContain('body not found');
    expect(calls).toHaveLength(1);
  });
});
