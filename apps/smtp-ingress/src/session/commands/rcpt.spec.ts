// Tests of rcpt.ts: directory answers, relay tricks, limits and DSN parameters.
import { describe, expect, it } from 'vitest';
import type { ScreenOutcome } from '../../screening/client-screening';
import { converse, createHarness, type Harness } from '../../test-support/command-harness';

async function opened(): Promise<Harness> {
  const h = createHarness();
  await converse(h, 'EHLO client.test\r\nMAIL FROM:<alice@crepes.fr>\r\n');
  return h;
}

describe('RCPT TO', () => {
  it('accepts local users with 250 2.1.5 and keeps DSN parameters', async () => {
    const h = await opened();
    expect(await converse(h, 'RCPT TO:<Bob@Example.test> NOTIFY=FAILURE ORCPT=rfc822;Bob@Example.test\r\n')).toBe('250 2.1.5 Recipient ok\r\n');
    expect(h.ctx.state.transaction?.recipients).toEqual([{ address: 'Bob@Example.test', route: 'local', mailbox: 'bob@example.test', dsn: { notify: ['FAILURE'], orcpt: 'rfc822;Bob@Example.test' } }]);
  });

  it('refuses unknown users (550 5.1.1) and other domains (550 5.7.1, no open relay)', async () => {
    const h = await opened();
    expect(await converse(h, 'RCPT TO:<nobody@example.test>\r\n')).toMatch(/^550 5\.1\.1 /);
    expect(await converse(h, 'RCPT TO:<someone@elsewhere.test>\r\n')).toBe('550 5.7.1 Relaying denied\r\n');
  });

  it('refuses each relay trick with a clear 5xx', async () => {
    const h = createHarness({ settings: { maxErrors: 100 } });
    await converse(h, 'EHLO client.test\r\nMAIL FROM:<alice@crepes.fr>\r\n');
    const tricks: [string, RegExp][] = [
      ['<user%other.test@example.test>', /^550 5\.7\.1 Relaying denied: "%"/],
      ['<other.test!user@example.test>', /^550 5\.7\.1 Relaying denied: "!"/],
      ['<@example.test:user@other.test>', /^550 5\.7\.1 Relaying denied: source routes/],
      ['<"user@other.test"@example.test>', /^550 5\.7\.1 Relaying denied: "@"/],
      ['<bob@example.test.>', /^501 5\.1\.3 .*trailing dot/],
      ['<bob@example.test', /^501 5\.1\.3 .*missing ">"/],
      ['<bob@[192.0.2.1>', /^501 5\.1\.3 .*unbalanced "\["/],
    ];
    for (const [path, reply] of tricks) expect(await converse(h, `RCPT TO:${path}\r\n`), path).toMatch(reply);
    expect(h.ctx.state.transaction?.recipients).toEqual([]);
  });

  it('answers <Postmaster> through postmaster@<hostname> (RFC 5321 §4.1.1.3)', async () => {
    const h = await opened();
    h.directory.domains.add('mx.example.test');
    h.directory.users.add('postmaster@mx.example.test');
    expect(await converse(h, 'RCPT TO:<Postmaster>\r\n')).toBe('250 2.1.5 Recipient ok\r\n');
  });

  it('answers 452 4.5.3 past the recipient limit and keeps a repeated recipient once', async () => {
    const h = await opened();
    h.directory.users.add('dave@example.test');
    const replies = await converse(
      h,
      'RCPT TO:<bob@example.test>\r\nRCPT TO:<BOB@example.test>\r\nRCPT TO:<carol@example.test>\r\nRCPT TO:<postmaster@example.test>\r\nRCPT TO:<dave@example.test>\r\n',
    );
    expect(replies.split('\r\n').slice(0, 5)).toEqual(['250 2.1.5 Recipient ok', '250 2.1.5 Recipient ok', '250 2.1.5 Recipient ok', '250 2.1.5 Recipient ok', '452 4.5.3 Too many recipients']);
    expect(h.ctx.state.transaction?.recipients.map((r) => r.address)).toEqual(['bob@example.test', 'carol@example.test', 'postmaster@example.test']);
  });

  it('answers 451 4.4.3 when the directory does not answer', async () => {
    const h = await opened();
    h.directory.down = true;
    expect(await converse(h, 'RCPT TO:<bob@example.test>\r\n')).toBe('451 4.4.3 Recipient lookup failed, try again later\r\n');
  });

  it('relays other domains for authenticated submission only (587 and 465), as route remote', async () => {
    for (const listener of ['submission', 'submissions'] as const) {
      const h = createHarness({ listener });
      h.ctx.state.authUser = 'bob@example.test';
      await converse(h, 'EHLO client.test\r\nMAIL FROM:<bob@example.test>\r\n');
      expect(await converse(h, 'RCPT TO:<friend@elsewhere.test>\r\nRCPT TO:<carol@example.test>\r\n')).toBe('250 2.1.5 Recipient ok\r\n250 2.1.5 Recipient ok\r\n');
      expect(h.ctx.state.transaction?.recipients).toEqual([
        { address: 'friend@elsewhere.test', route: 'remote' },
        { address: 'carol@example.test', route: 'local', mailbox: 'carol@example.test' },
      ]);
    }
  });

  it("refuses every recipient of a block-listed client with 554 5.7.1 and the list's text", async () => {
    const screening: ScreenOutcome = { action: 'reject', text: 'Client host [192.0.2.1] blocked using bl.example.test', reasons: [{ rule: 'DNSBL_BL_EXAMPLE_TEST', score: 10 }] };
    const h = createHarness({ screening, settings: { maxErrors: 100 } });
    await converse(h, 'EHLO client.test\r\nMAIL FROM:<alice@crepes.fr>\r\n');
    expect(await converse(h, 'RCPT TO:<bob@example.test>\r\nRCPT TO:<carol@example.test>\r\nDATA\r\n')).toBe(
      '554 5.7.1 Client host [192.0.2.1] blocked using bl.example.test\r\n554 5.7.1 Client host [192.0.2.1] blocked using bl.example.test\r\n503 5.5.1 Bad sequence of commands: send a valid RCPT TO first\r\n',
    );
  });

  it('accepts recipients when screening could not answer (fail open)', async () => {
    const h = createHarness({ screening: { action: 'unavailable', error: new Error('no responders') } });
    await converse(h, 'EHLO client.test\r\nMAIL FROM:<alice@crepes.fr>\r\n');
    expect(await converse(h, 'RCPT TO:<bob@example.test>\r\n')).toBe('250 2.1.5 Recipient ok\r\n');
  });
});
