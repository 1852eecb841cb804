import { describe, it, expect } from 'vitest';
import { parseCommand } from './command-parser';
import type { SmtpCommand } from './command-parser';
import { SmtpReplyError } from './reply';

function rejection(line: string, utf8 = false): [number, string | undefined, string] {
  try {
    parseCommand(line, { utf8 });
  } catch (err) {
    if (err instanceof SmtpReplyError) return [err.code, err.enhanced, err.message];
    throw err;
  }
  throw new Error(`accepted: ${line}`);
}

const mailbox = (local: string, domain: string, extra: Partial<{ quoted: boolean; sourceRoute: string[]; address: string }> = {}) => ({
  local,
  domain,
  address: extra.address ?? `${local}@${domain}`,
  sourceRoute: extra.sourceRoute ?? [],
  quoted: extra.quoted ?? false,
});

describe('parseCommand: verbs (RFC 5321 §4.1.1)', () => {
  const cases: Array<[string, SmtpCommand]> = [
    ['HELO client.example.test', { kind: 'HELO', domain: 'client.example.test' }],
    ['ehlo [192.0.2.1]', { kind: 'EHLO', domain: '[192.0.2.1]' }],
    ['EHLO   client.test  ', { kind: 'EHLO', domain: 'client.test' }],
    ['DATA', { kind: 'DATA' }],
    ['data ', { kind: 'DATA' }],
    ['RSET', { kind: 'RSET' }],
    ['NOOP', { kind: 'NOOP' }],
    ['noop anything at all', { kind: 'NOOP' }],
    ['QUIT', { kind: 'QUIT' }],
    ['VRFY Smith', { kind: 'VRFY', arg: 'Smith' }],
    ['EXPN staff list', { kind: 'EXPN', arg: 'staff list' }],
    ['HELP', { kind: 'HELP' }],
    ['HELP MAIL', { kind: 'HELP', arg: 'MAIL' }],
    ['StartTLS', { kind: 'STARTTLS' }],
    ['BDAT 1000', { kind: 'BDAT', size: 1000, last: false }],
    ['bdat 0 last', { kind: 'BDAT', size: 0, last: true }],
    ['AUTH plain', { kind: 'AUTH', mechanism: 'PLAIN' }],
    ['AUTH PLAIN AHVzZXIAcGFzcw==', { kind: 'AUTH', mechanism: 'PLAIN', initialResponse: 'AHVzZXIAcGFzcw==' }],
    ['AUTH EXTERNAL =', { kind: 'AUTH', mechanism: 'EXTERNAL', initialResponse: '=' }],
    ['AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9', { kind: 'AUTH', mechanism: 'SCRAM-SHA-256', initialResponse: 'biwsbj11c2VyLHI9' }],
    ['', { kind: 'UNKNOWN', verb: '', args: '' }],
    ['GET / HTTP/1.1', { kind: 'UNKNOWN', verb: 'GET', args: '/ HTTP/1.1' }],
    ['TURN', { kind: 'UNKNOWN', verb: 'TURN', args: '' }],
  ];
  it.each(cases)('%j', (line, expected) => {
    expect(parseCommand(line)).toEqual(expected);
  });
});

describe('parseCommand: MAIL and RCPT (RFC 5321 §4.1.1.2/3)', () => {
  it('parses MAIL FROM with and without the common space after the colon', () => {
    const expected = { kind: 'MAIL', path: mailbox('a', 'b.test'), params: new Map() };
    expect(parseCommand('MAIL FROM:<a@b.test>')).toEqual(expected);
    expect(parseCommand('mail from: <a@b.test>')).toEqual(expected);
  });

  it('parses the null reverse-path', () => {
    expect(parseCommand('MAIL FROM:<>')).toEqual({ kind: 'MAIL', path: null, params: new Map() });
  });

  it('parses ESMTP parameters after the path', () => {
    const cmd = parseCommand('MAIL FROM:<a@b.test> size=1000 BODY=8BITMIME  SMTPUTF8 RET=HDRS');
    expect(cmd.kind === 'MAIL' && [...cmd.params]).toEqual([
      ['SIZE', '1000'],
      ['BODY', '8BITMIME'],
      ['SMTPUTF8', true],
      ['RET', 'HDRS'],
    ]);
    const rcpt = parseCommand('RCPT TO:<c@d.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;c+40d.test');
    expect(rcpt.kind === 'RCPT' && rcpt.params.get('ORCPT')).toBe('rfc822;c+40d.test');
  });

  it('keeps quoted local parts containing spaces and ">" together', () => {
    const cmd = parseCommand('RCPT TO:<"a b>c"@d.test> NOTIFY=NEVER');
    expect(cmd).toEqual({ kind: 'RCPT', path: mailbox('a b>c', 'd.test', { quoted: true, address: '"a b>c"@d.test' }), params: new Map([['NOTIFY', 'NEVER']]) });
  });

  it('reports source routes for the session to refuse', () => {
    const cmd = parseCommand('RCPT TO:<@hop1.test,@hop2.test:user@d.test>');
    expect(cmd.kind === 'RCPT' && cmd.path.sourceRoute).toEqual(['hop1.test', 'hop2.test']);
  });

  it('accepts RCPT TO:<Postmaster> (RFC 5321 §4.1.1.3)', () => {
    expect(parseCommand('RCPT TO:<postmaster>')).toEqual({ kind: 'RCPT', path: mailbox('postmaster', '', { address: 'postmaster' }), params: new Map() });
  });

  it('allows UTF-8 in MAIL only with SMTPUTF8, and in RCPT when the caller says so (RFC 6531 §3.4)', () => {
    expect(parseCommand('MAIL FROM:<ü@b.test> SMTPUTF8').kind).toBe('MAIL');
    expect(rejection('MAIL FROM:<ü@b.test>').slice(0, 2)).toEqual([553, '5.6.7']);
    expect(rejection('RCPT TO:<ü@b.test>').slice(0, 2)).toEqual([553, '5.6.7']);
    expect(parseCommand('RCPT TO:<ü@例子.test>', { utf8: true }).kind).toBe('RCPT');
    expect(rejection('MAIL FROM:<a@b.test> X-NOTE=ü')[0]).toBe(501);
    expect(parseCommand('MAIL FROM:<a@b.test> SMTPUTF8 X-NOTE=ü').kind).toBe('MAIL');
  });

  const bad: Array<[string, number, string, string]> = [
    ['MAIL', 501, '5.5.4', 'expected MAIL FROM:<address>'],
    ['MAIL TO:<a@b.test>', 501, '5.5.4', 'expected MAIL FROM:'],
    ['MAIL FROM:a@b.test', 501, '5.1.7', 'enclosed in <>'],
    ['MAIL FROM:<a@b.test', 501, '5.1.7', 'missing ">"'],
    ['MAIL FROM:<a@b.test.>', 501, '5.1.7', 'trailing dot in domain'],
    ['MAIL FROM:<a@b.test>SIZE=1', 501, '5.1.7', 'unexpected text after ">"'],
    ['MAIL FROM:<a@b.test> SIZE=', 501, '5.5.4', 'Empty value for parameter SIZE'],
    ['MAIL FROM:<a@b.test> SIZE=1 size=2', 501, '5.5.4', 'Duplicate parameter SIZE'],
    ['MAIL FROM:<a@b.test> =x', 501, '5.5.4', 'Invalid parameter keyword'],
    ['RCPT TO:<user@example.test.>', 501, '5.1.3', 'trailing dot in domain'],
    ['RCPT TO:<>', 501, '5.1.3', 'empty forward-path'],
    ['RCPT TO:<a@b@c.test>', 501, '5.1.3', 'invalid character'],
    ['RCPT FROM:<a@b.test>', 501, '5.5.4', 'expected RCPT TO:'],
    ['HELO', 501, '5.5.4', 'requires exactly one'],
    ['EHLO a b', 501, '5.5.4', 'requires exactly one'],
    ['DATA now', 501, '5.5.4', 'DATA takes no parameters'],
    ['QUIT please', 501, '5.5.4', 'QUIT takes no parameters'],
    ['STARTTLS x', 501, '5.5.4', 'STARTTLS takes no parameters'],
    ['VRFY', 501, '5.5.4', 'VRFY requires an argument'],
    ['BDAT', 501, '5.5.4', 'expected BDAT'],
    ['BDAT -1', 501, '5.5.4', 'expected BDAT'],
    ['BDAT 10 FIRST', 501, '5.5.4', 'expected BDAT'],
    ['BDAT 1234567890123456', 501, '5.5.4', 'expected BDAT'],
    ['AUTH', 501, '5.5.4', 'expected AUTH'],
    ['AUTH THIS-NAME-IS-WAY-TOO-LONG', 501, '5.5.4', 'expected AUTH'],
    ['AUTH PLAIN a b', 501, '5.5.4', 'expected AUTH'],
    ['AUTH PLAIN not*base64', 501, '5.5.2', 'base64'],
    ['AUTH PLAIN abc', 501, '5.5.2', 'base64'],
    ['NOOP\x00', 500, '5.5.2', 'control character'],
    ['MAIL FROM:<a@b.test>\rRCPT TO:<c@d.test>', 500, '5.5.2', 'control character'],
  ];
  it.each(bad)('rejects %j', (line, code, enhanced, text) => {
    const [c, e, message] = rejection(line);
    expect([c, e]).toEqual([code, enhanced]);
    expect(message).toContain(text);
  });
});

describe('parseCommand: fuzz', () => {
  it('returns a command or throws SmtpReplyError, nothing else', () => {
    const words = ['MAIL', 'RCPT', 'FROM:', 'TO:', 'EHLO', 'AUTH', 'BDAT', '<', '>', '@', '"', ' ', '=', 'a', '.', '[', ']', '1', 'LAST', 'ü', '\\', ':', ',', 'SMTPUTF8', '\t'];
    let seed = 99;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    for (let i = 0; i < 10000; i++) {
      let line = '';
      const n = rand(12);
      for (let j = 0; j < n; j++) line += words[rand(words.length)];
      try {
        expect(parseCommand(line, { utf8: rand(2) === 1 })).toHaveProperty('kind');
      } catch (err) {
        expect(err).toBeInstanceOf(SmtpReplyError);
      }
    }
  });
});

describe('parseCommand: counterexamples found by command-parser.fuzz.spec.ts', () => {
  it('strips trailing spaces after a long run of inner spaces (once quadratic: 20,000 spaces took over a second)', () => {
    expect(parseCommand(`NOOP${' '.repeat(20_000)}x`)).toEqual({ kind: 'NOOP' });
    expect(parseCommand(`HELO a${' '.repeat(20_000)}`)).toEqual({ kind: 'HELO', domain: 'a' });
    expect(rejection(`HELO ${' '.repeat(20_000)}a b`)[0]).toBe(501);
  });
});
