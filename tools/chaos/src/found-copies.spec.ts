import { describe, expect, it } from 'vitest';
import type { SinkTransaction, SmtpSink } from '@mail/testing';
import { deliveredInDoubt, normaliseMessageId } from './found-copies';

const transaction = (connectionId: number, id: string): SinkTransaction => ({
  connectionId,
  helo: 'relay.test',
  mailFrom: 'sender@example.test',
  mailParams: {},
  rcptTo: ['friend@remote.test'],
  data: Buffer.from(`Message-ID: <${id}>\r\n\r\nbody\r\n`),
  reply: 250,
  rcptParams: {},
  tls: false,
});
const command = (connectionId: number, line: string) => ({ connectionId, line, batched: false });

describe('deliveredInDoubt', () => {
  it('marks a first copy after which its connection said nothing more, not one the client went on from', () => {
    const sink: Pick<SmtpSink, 'commands' | 'transactions'> = {
      commands: [
        command(1, 'EHLO relay.test'),
        command(1, 'MAIL FROM:<sender@example.test>'),
        command(1, 'RCPT TO:<friend@remote.test>'),
        command(1, 'DATA'),
        command(1, 'MAIL FROM:<sender@example.test>'),
        command(1, 'RCPT TO:<friend@remote.test>'),
        command(1, 'DATA'),
        command(2, 'EHLO relay.test'),
        command(2, 'DATA'),
      ],
      transactions: [transaction(1, 'went-on@x.test'), transaction(1, 'last@x.test'), transaction(2, 'last@x.test')],
    };
    expect([...deliveredInDoubt(sink)]).toEqual(['last@x.test']);
  });
});

describe('normaliseMessageId', () => {
  it('drops the angle brackets and folds case', () => {
    expect(normaliseMessageId(' <Chaos-1@Chaos.Test> ')).toBe('chaos-1@chaos.test');
  });
});
