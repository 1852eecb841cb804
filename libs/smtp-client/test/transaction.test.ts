/**
 * Whole messages through the client to a real SMTP server on loopback (the
 * sink of @mail/testing): dot-stuffing on the way out, the all-or-nothing
 * policy of senders that retry a whole message, and what the outcome says.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '@mail/testing';
import { messageRequest, openSession, rfc5321Timeouts, runTransaction, transactionOutcome, type SmtpSession } from '../src/index';

describe('a whole message to one server', () => {
  let sink: SmtpSink;
  let session: SmtpSession;

  beforeEach(async () => {
    sink = await startSmtpSink();
    session = await openSession({ host: 'sink.test', address: sink.host, port: sink.port }, { heloName: 'client.test', timeouts: rfc5321Timeouts, startTls: false });
  });
  afterEach(async () => {
    await session.quit();
    await sink.close();
  });

  it('stuffs leading dots and marks when the end of data went out (RFC 5321 §4.5.2)', async () => {
    const message = 'Subject: dots\r\n\r\n.leading dot\r\n.\r\nlast line\r\n';
    const replies = await runTransaction(session, messageRequest({ from: 'alice@client.test', to: ['bob@sink.test'] }, message));
    expect(transactionOutcome(replies)).toMatchObject({ kind: 'accepted', reply: { code: 250 } });
    expect(replies.endOfDataSentAt).toBeGreaterThan(0);
    expect(sink.delivered().map((t) => t.data.toString())).toEqual([message]);
  });

  it('sends verbatim content byte for byte, a bare LF included, and ends it on a line of its own', async () => {
    const replies = await runTransaction(
      session,
      messageRequest({ from: 'alice@client.test', to: ['bob@sink.test'], verbatim: true }, 'Subject: raw\r\n\r\n..stuffed by the caller\r\nbare\nline feed'),
    );
    expect(replies.endOfDataSentAt).toBeGreaterThan(0);
    expect(sink.transactions.map((t) => t.data.toString())).toEqual(['Subject: raw\r\n\r\n.stuffed by the caller\r\nbare\nline feed\r\n']);
  });

  it('sends no data unless every recipient was accepted, and keeps the session (RFC 5321 §4.1.1.5)', async () => {
    sink.setBehaviour({ rcpt: { 'gone@sink.test': { code: 550, enhanced: '5.1.1', text: 'No such user here' } } });
    const request = messageRequest({ from: 'alice@client.test', to: ['bob@sink.test', 'gone@sink.test'], allRecipientsOrNone: true }, 'Subject: all or none\r\n\r\nbody\r\n');
    const refused = transactionOutcome(await runTransaction(session, request));
    expect(refused).toMatchObject({ kind: 'refused', stage: 'RCPT', reply: { code: 550, enhanced: '5.1.1' } });
    expect(sink.transactions).toEqual([]);
    expect(session.usable).toBe(true);

    const next = await runTransaction(session, messageRequest({ from: 'alice@client.test', to: ['bob@sink.test'] }, 'Subject: next\r\n\r\nbody\r\n'));
    expect(transactionOutcome(next).kind).toBe('accepted');
    expect(sink.delivered()).toHaveLength(1);
  });

  it('says a message refused after the end of data was refused, not lost', async () => {
    sink.setBehaviour({ data: { code: 451, enhanced: '4.3.0', text: 'try later' } });
    const replies = await runTransaction(session, messageRequest({ from: 'alice@client.test', to: ['bob@sink.test'] }, 'Subject: later\r\n\r\nbody\r\n'));
    expect(transactionOutcome(replies)).toMatchObject({ kind: 'refused', stage: 'end of data', reply: { code: 451 } });
  });

  it('sends DATA in the pipelined group when asked (RFC 2920 §3.1) and the data after its 354', async () => {
    const request = { ...messageRequest({ from: 'alice@client.test', to: ['bob@sink.test', 'carol@sink.test'] }, 'Subject: grouped\r\n\r\nbody\r\n'), pipelineData: true };
    expect(transactionOutcome(await runTransaction(session, request)).kind).toBe('accepted');
    const commands = sink.commands.map((c) => [c.line.split(':')[0]?.split(' ')[0], c.batched]);
    // MAIL, both RCPTs and DATA in one write: every command but the last had more input behind it
    expect(commands.slice(1)).toEqual([
      ['MAIL', true],
      ['RCPT', true],
      ['RCPT', true],
      ['DATA', false],
    ]);
    expect(sink.delivered().map((t) => t.rcptTo)).toEqual([['bob@sink.test', 'carol@sink.test']]);
  });

  it('keeps the session clean when every recipient of a pipelined DATA is refused', async () => {
    sink.setBehaviour({ rcpt: { 'gone@sink.test': 550 } });
    const refused = await runTransaction(session, { ...messageRequest({ from: 'alice@client.test', to: ['gone@sink.test'] }, 'Subject: nobody\r\n\r\nbody\r\n'), pipelineData: true });
    expect(transactionOutcome(refused)).toMatchObject({ kind: 'refused', stage: 'RCPT', reply: { code: 550 } });
    expect(refused.dataStart?.code).toBe(554);
    const next = await runTransaction(session, { ...messageRequest({ from: 'alice@client.test', to: ['bob@sink.test'] }, 'Subject: next\r\n\r\nbody\r\n'), pipelineData: true });
    expect(transactionOutcome(next).kind).toBe('accepted');
    expect(sink.delivered().map((t) => t.rcptTo)).toEqual([['bob@sink.test']]);
  });
});
