// Tests of dispatcher.ts: parser → gate → handler, one reply per line, 421 after too many errors.
import { describe, expect, it } from 'vitest';
import { converse, createHarness } from '../test-support/command-harness';
import { CommandDispatcher } from './dispatcher';

describe('CommandDispatcher', () => {
  it('answers an over-long command line with 500 5.5.6 and carries on', async () => {
    const h = createHarness();
    expect(await converse(h, `NOOP ${'x'.repeat(600)}\r\nNOOP\r\n`)).toBe('500 5.5.6 Line too long\r\n250 2.0.0 Ok\r\n');
  });

  it('answers unknown commands with 500 5.5.2, EXPN and AUTH with 502 5.5.1', async () => {
    const h = createHarness({ settings: { maxErrors: 10 } });
    expect(await converse(h, 'FOO\r\nEXPN staff\r\nAUTH PLAIN\r\n')).toBe('500 5.5.2 Command unrecognized\r\n502 5.5.1 EXPN not available\r\n502 5.5.1 AUTH not available\r\n');
  });

  it('closes with 421 after the maximum number of client errors', async () => {
    const h = createHarness({ settings: { maxErrors: 3 } });
    const replies = await converse(h, 'FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n');
    expect(replies).toBe(
      '500 5.5.2 Command unrecognized\r\n500 5.5.2 Command unrecognized\r\n500 5.5.2 Command unrecognized\r\n' + '421 4.7.0 mx.example.test Too many errors, closing connection\r\n',
    );
  });

  it('does not count temporary failures against the client', async () => {
    const h = createHarness({ settings: { maxErrors: 2 } });
    h.directory.down = true;
    const replies = await converse(h, 'EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<bob@example.test>\r\nRCPT TO:<bob@example.test>\r\nRCPT TO:<bob@example.test>\r\n');
    expect(replies.match(/^451 4\.4\.3 /gm)).toHaveLength(3);
  });

  it('turns an unexpected failure into 451 4.3.0', async () => {
    const h = createHarness();
    const dispatcher = new CommandDispatcher({ ...h.ctx, services: { ...h.ctx.services, directory: { resolve: () => Promise.reject(new TypeError('bug')) } } });
    expect(await converse(h, 'EHLO c.test\r\nMAIL FROM:<>\r\nRCPT TO:<bob@example.test>\r\n', dispatcher)).toMatch(/451 4\.3\.0 Local error in processing\r\n$/);
  });

  it('reads and drops the chunk of a refused BDAT, so its bytes are never commands (RFC 3030 §2)', async () => {
    const h = createHarness();
    const replies = await converse(h, 'EHLO c.test\r\nBDAT 6 LAST\r\nQUIT\r\nNOOP\r\n');
    expect(replies).toMatch(/503 5\.5\.1 Bad sequence of commands: send MAIL FROM first\r\n250 2\.0\.0 Ok\r\n$/);
  });

  it('closes the session when a BDAT size cannot be read', async () => {
    const h = createHarness();
    expect(await converse(h, 'BDAT x\r\nNOOP\r\n')).toBe('501 5.5.4 Syntax error in BDAT; cannot find the end of the chunk\r\n');
  });

  it('closes the session on HTTP requests', async () => {
    const h = createHarness();
    expect(await converse(h, 'GET / HTTP/1.1\r\nHost: x\r\n')).toBe('554 5.7.0 This is an SMTP server, not an HTTP server\r\n');
  });
});
