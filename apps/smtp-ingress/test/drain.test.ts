/**
 * Shutdown and timeouts of the real process: on SIGTERM an idle session gets
 * 421 4.3.2 at once, a message in the middle of DATA is still queued and
 * acknowledged with 250 before its session gets 421, new connections are
 * refused, and the process exits 0. Then the idle timeout (RFC 5321
 * §4.5.3.2.7) closes a silent session with 421 4.4.2, and RCPT asked of
 * mailbox-store (no directory replica) outlives a crashed mailbox-store for
 * recipients it confirmed recently.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@mail/testing';
import { beginData, openSmtp, startIngressStack, type IngressStack } from './fixtures/ingress-stack';

describe('smtp-ingress drain and idle timeout', () => {
  let ingress: IngressStack;

  beforeAll(async () => {
    ingress = await startIngressStack();
  });
  afterAll(async () => {
    await ingress?.stop();
  });

  it('finishes a message in DATA on SIGTERM, says 421 to everyone, and exits 0', async () => {
    const port = ingress.stack.smtpPort;
    const service = ingress.stack.services.get('smtp-ingress');
    if (service === undefined) throw new Error('smtp-ingress is not running');
    const idle = await openSmtp(port);
    const busy = await openSmtp(port);
    await beginData(busy);
    busy.write('Subject: in flight\r\n\r\nfirst half\r\n');
    const before = (await ingress.receivedEvents()).length;

    const exited = service.stop('SIGTERM', 30_000);
    // The idle session is told at once (RFC 5321 §3.8)
    expect((await idle.readSmtpReply()).text).toBe('421 4.3.2 mx.example.test Service shutting down, closing connection');
    await idle.waitClosed();
    // No new sessions
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = connect(port, '127.0.0.1');
          socket.once('connect', () => {
            socket.destroy();
            resolve(false);
          });
          socket.once('error', () => resolve(true));
        }),
      { description: 'the listener to close' },
    );
    // The message in DATA is still taken responsibility for
    busy.write('second half\r\n.\r\n');
    expect((await busy.readSmtpReply()).text).toMatch(/^250 2\.0\.0 Ok: queued as /);
    busy.send('NOOP');
    expect((await busy.readSmtpReply()).text).toBe('421 4.3.2 mx.example.test Service shutting down, closing connection');
    await busy.waitClosed();
    expect(await exited).toBe(0);

    const events = await ingress.waitForEvents(before + 1);
    const last = events[events.length - 1];
    expect(last && (await ingress.body(last)).toString()).toBe('Subject: in flight\r\n\r\nfirst half\r\nsecond half\r\n');
  });

  it('closes a silent session with 421 4.4.2 after the idle timeout', async () => {
    await ingress.stack.start('smtp-ingress', { SMTP_IDLE_TIMEOUT: '1s' });
    const smtp = await openSmtp(ingress.stack.smtpPort);
    expect((await smtp.readSmtpReply(10_000)).text).toBe('421 4.4.2 mx.example.test Timeout waiting for client input, closing connection');
    await smtp.waitClosed();
  });

  it('keeps accepting known recipients while mailbox-store is down, and answers 451 4.4.3 for the rest', async () => {
    // Without the directory replica (directory-replica.test.ts), so that every RCPT asks mailbox-store
    await ingress.stack.services.get('smtp-ingress')?.stop();
    await ingress.stack.start('smtp-ingress', { SMTP_DIRECTORY_MAX_STALENESS: '0' });
    const smtp = await openSmtp(ingress.stack.smtpPort);
    expect((await smtp.smtp('MAIL FROM:<alice@crepes.fr>')).code).toBe(250);
    expect((await smtp.smtp('RCPT TO:<bob@example.test>')).code).toBe(250);
    expect(await ingress.stack.services.get('mailbox-store')?.stop('SIGKILL')).toBe('SIGKILL');
    expect((await smtp.smtp('RCPT TO:<bob@example.test>')).text).toBe('250 2.1.5 Recipient ok');
    expect((await smtp.smtp('RCPT TO:<carol@example.test>')).text).toBe('451 4.4.3 Recipient lookup failed, try again later');
    smtp.close();
  });
});
