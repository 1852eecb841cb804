// Tests of response-encoder.ts, response-codes.ts and response-error.ts (RFC 9051 §7.1, §7.5).
import { describe, expect, it } from 'vitest';
import { bye, continuation, formatRefusal, formatStatusResponse, ok, sanitizeText, untagged } from './response-encoder';
import { formatResponseCode } from './response-codes';
import { ImapResponseError } from './response-error';

describe('status responses', () => {
  it('serialize tagged and untagged lines with response codes', () => {
    expect(ok('a1', 'SELECT completed', 'READ-WRITE')).toBe('a1 OK [READ-WRITE] SELECT completed\r\n');
    expect(formatStatusResponse({ status: 'OK', code: { kind: 'UIDVALIDITY', value: 3857529045 }, text: 'UIDs valid' })).toBe('* OK [UIDVALIDITY 3857529045] UIDs valid\r\n');
    expect(formatStatusResponse({ tag: 'a2', status: 'NO', code: 'TRYCREATE', text: 'No such mailbox' })).toBe('a2 NO [TRYCREATE] No such mailbox\r\n');
    expect(untagged('3 EXISTS')).toBe('* 3 EXISTS\r\n');
    expect(continuation()).toBe('+ Ready\r\n');
    expect(bye('Server shutting down', 'UNAVAILABLE')).toBe('* BYE [UNAVAILABLE] Server shutting down\r\n');
  });

  it('never let text inject a line or a code', () => {
    expect(ok('a', 'done\r\na2 OK fake')).toBe('a OK done  a2 OK fake\r\n');
    expect(sanitizeText('[ALERT] x')).toBe(' [ALERT] x');
    expect(sanitizeText('Grüße')).toBe('Gr??e');
    expect(sanitizeText('Grüße', true)).toBe('Grüße');
    expect(sanitizeText('')).toBe('.');
  });

  it('format every response code with its data', () => {
    expect(formatResponseCode({ kind: 'PERMANENTFLAGS', flags: ['\\Seen', '\\*'] })).toBe('PERMANENTFLAGS (\\Seen \\*)');
    expect(formatResponseCode({ kind: 'HIGHESTMODSEQ', value: 9_223_372_036_854_775_807n })).toBe('HIGHESTMODSEQ 9223372036854775807');
    expect(formatResponseCode({ kind: 'APPENDUID', uidValidity: 38505, uids: [3955] })).toBe('APPENDUID 38505 3955');
    expect(formatResponseCode({ kind: 'COPYUID', uidValidity: 38505, source: [304, 319, 320], destination: [3956, 3957, 3958] })).toBe('COPYUID 38505 304,319:320 3956:3958');
    expect(formatResponseCode({ kind: 'CAPABILITY', capabilities: ['IMAP4rev2', 'IDLE'] })).toBe('CAPABILITY IMAP4rev2 IDLE');
    expect(formatResponseCode({ kind: 'BADCHARSET', charsets: ['UTF-8', 'US-ASCII'] })).toBe('BADCHARSET (UTF-8 US-ASCII)');
    expect(formatResponseCode({ kind: 'MODIFIED', numbers: [7, 9, 8] })).toBe('MODIFIED 7:9');
  });

  it('turn a refusal into its lines, with BYE when the connection closes', () => {
    expect(formatRefusal(new ImapResponseError('NO', 'Too big', { tag: 'a', code: 'TOOBIG' }))).toBe('a NO [TOOBIG] Too big\r\n');
    expect(formatRefusal(new ImapResponseError('BAD', 'Line too long', { closeConnection: true }))).toBe('* BAD Line too long\r\n* BYE Closing the connection\r\n');
    const error = new ImapResponseError('BAD', 'x', { code: 'CLIENTBUG' }).withTag('t9');
    expect([error.tag, error.userFault, error.name]).toEqual(['t9', true, 'ImapResponseError']);
  });
});
