// Tests of sasl-response.ts: the RFC 5034 §4 exchange lines.

import { describe, expect, it } from 'vitest';
import { Pop3ResponseError } from './response';
import { decodeSaslInitialResponse, formatSaslChallenge, isSaslResponseSyntax, parseSaslContinuation } from './sasl-response';

describe('SASL exchange lines', () => {
  it('decodes "=" as an empty initial response and BASE64 otherwise', () => {
    expect(decodeSaslInitialResponse('=').length).toBe(0);
    expect(decodeSaslInitialResponse('dGVzdA==').toString()).toBe('test');
  });

  it('treats "*" as cancel and an empty line as an empty response', () => {
    expect(parseSaslContinuation('*')).toEqual({ cancelled: true });
    expect(parseSaslContinuation('*\r\n')).toEqual({ cancelled: true });
    const empty = parseSaslContinuation('');
    expect(empty.cancelled === false && empty.data.length === 0).toBe(true);
    const data = parseSaslContinuation('dGVzdA==\r\n');
    expect(data.cancelled === false && data.data.toString()).toBe('test');
  });

  it('rejects malformed BASE64 with a Pop3ResponseError', () => {
    for (const bad of ['dGVzdA', 'dGVz dA==', 'dGVzdA=x', '====', '=']) {
      expect(() => parseSaslContinuation(bad), bad).toThrow(Pop3ResponseError);
    }
    expect(() => decodeSaslInitialResponse('%%%%')).toThrow(/not valid BASE64/);
  });

  it('allows the "=" marker only where asked', () => {
    expect(isSaslResponseSyntax('=', { allowEmptyMarker: true })).toBe(true);
    expect(isSaslResponseSyntax('=', { allowEmptyMarker: false })).toBe(false);
  });

  it('formats challenges as "+ " and BASE64', () => {
    expect(formatSaslChallenge()).toBe('+ \r\n');
    expect(formatSaslChallenge(Buffer.from('<1896.697170952@postoffice.example.net>'))).toBe('+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZS5uZXQ+\r\n');
  });
});
