/**
 * AUTH (RFC 4954) against the sink of @mail/testing: PLAIN, or LOGIN when
 * only that is offered; never credentials over a connection that could have
 * been protected and was not, never to a server that offers no mechanism we speak.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '@mail/testing';
import { openSession, rfc5321Timeouts, SmtpAuthUnavailableError, SmtpSessionRefusedError, SmtpTlsError, type SessionOptions } from '../src/index';

const auth = { user: 'alice@client.test', password: 'pickles' };

describe('AUTH from the client', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
  });

  const open = async (options: Partial<SessionOptions>) => {
    if (!sink) throw new Error('no sink');
    return openSession({ host: 'sink.test', address: sink.host, port: sink.port }, { heloName: 'client.test', timeouts: rfc5321Timeouts, ...options });
  };
  const verbs = () => sink?.commands.map((c) => c.line.split(' ').slice(0, 2).join(' '));

  it('logs in with PLAIN on a plain listener the caller chose (startTls false)', async () => {
    sink = await startSmtpSink({ auth });
    const session = await open({ startTls: false, auth });
    await session.quit();
    expect(verbs()).toEqual(['EHLO client.test', 'AUTH PLAIN', 'QUIT']);
  });

  it('answers the two LOGIN prompts when the server offers only LOGIN', async () => {
    sink = await startSmtpSink({ auth: { ...auth, mechanisms: ['LOGIN'] } });
    const session = await open({ startTls: false, auth });
    await session.quit();
    expect(sink.commands.map((c) => c.line)).toEqual(['EHLO client.test', 'AUTH LOGIN', Buffer.from(auth.user).toString('base64'), Buffer.from(auth.password).toString('base64'), 'QUIT']);
  });

  it('sends no credentials when STARTTLS was wanted and not offered', async () => {
    sink = await startSmtpSink({ auth });
    await expect(open({ auth })).rejects.toThrow(SmtpTlsError);
    expect(verbs()).toEqual(['EHLO client.test', 'QUIT']);
  });

  it('sends no credentials to a server that does not offer AUTH', async () => {
    sink = await startSmtpSink();
    await expect(open({ startTls: false, auth })).rejects.toThrow(SmtpAuthUnavailableError);
    expect(verbs()).toEqual(['EHLO client.test', 'QUIT']);
  });

  it('reports a refused password with the server reply', async () => {
    sink = await startSmtpSink({ auth });
    const refused = await open({ startTls: false, auth: { ...auth, password: 'wrong' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SmtpSessionRefusedError);
    expect((refused as Error).message).toBe('auth refused: 535 5.7.8 Authentication credentials invalid');
  });
});
