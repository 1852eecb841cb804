// Tests of message-acceptor.ts: store, publish, then 250; 451 and nothing delivered on failure.
import { MailReceived } from '@mail/contracts';
import { createLogger } from '@mail/telemetry';
import { describe, expect, it } from 'vitest';
import { InMemoryQueue } from '../test-support/command-harness';
import { newSessionState, type MailTransaction } from '../session/session-state';
import { acceptMessage, type FinishedMessage } from './message-acceptor';
import { MessageBody } from './message-body';

const log = createLogger('test', 'silent');
const date = new Date(Date.UTC(2026, 10, 21, 10, 0, 0));

function message(): FinishedMessage {
  const state = newSessionState('s', 'inbound', '192.0.2.1', 40000);
  state.helo = { name: 'crepes.fr', extended: true };
  const transaction: MailTransaction = {
    mailFrom: 'alice@crepes.fr',
    params: { bodyType: '8BITMIME', smtputf8: false, dsnReturn: 'HDRS', dsnEnvelopeId: 'E1' },
    recipients: [{ address: 'bob@example.test', route: 'local', mailbox: 'bob@example.test', dsn: { notify: ['FAILURE'] } }],
  };
  const body = new MessageBody(1000);
  body.add(Buffer.from('Subject: hi\r\n\r\nhello\r\n'));
  return { state, transaction, body, clientHostname: undefined };
}

describe('acceptMessage', () => {
  it('stores the body, then publishes a valid event with the envelope, session facts and Received:', async () => {
    const queue = new InMemoryQueue();
    const id = await acceptMessage({ queue, hostname: 'mx.example.test', log, now: () => date, newId: () => 'QUEUEID00001' }, message());
    expect(id).toBe('QUEUEID00001');
    expect(queue.bodies.get(id)?.toString()).toBe('Subject: hi\r\n\r\nhello\r\n');
    const event = queue.events[0];
    expect(MailReceived.parse(event)).toMatchObject({
      queueId: id,
      receivedAt: '2026-11-21T10:00:00.000Z',
      session: { listener: 'inbound', clientIp: '192.0.2.1', clientPort: 40000, helo: 'crepes.fr', tls: false },
      envelope: {
        mailFrom: 'alice@crepes.fr',
        recipients: [{ address: 'bob@example.test', route: 'local', mailbox: 'bob@example.test', dsn: { notify: ['FAILURE'] } }],
        bodyType: '8BITMIME',
        dsnReturn: 'HDRS',
        dsnEnvelopeId: 'E1',
      },
      body: { key: id, size: 22 },
    });
    expect(event?.traceHeaders[0]?.value).toMatch(/^from crepes\.fr \(unknown \[192\.0\.2\.1\]\)\r\n\tby mx\.example\.test with ESMTP id QUEUEID00001\r\n\tfor <bob@example\.test>; /);
  });

  it('answers 451 4.3.0 and publishes nothing when the body cannot be stored', async () => {
    const queue = new InMemoryQueue();
    queue.failPut = true;
    await expect(acceptMessage({ queue, hostname: 'mx', log }, message())).rejects.toThrow(/^451 4\.3\.0 /);
    expect(queue.events).toEqual([]);
  });

  it('answers 451 4.3.0 and deletes the orphan body when the event is not acknowledged', async () => {
    const queue = new InMemoryQueue();
    queue.failPublish = true;
    await expect(acceptMessage({ queue, hostname: 'mx', log }, message())).rejects.toThrow(/^451 4\.3\.0 /);
    await expect.poll(() => queue.bodies.size).toBe(0);
  });
});
