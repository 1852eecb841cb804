import { describe, expect, it } from 'vitest';
import { parseDkimCommand, renderDkimResponse, zoneRecord } from './dkim-commands';

describe('parseDkimCommand', () => {
  it('parses generate with its options, show, remove and list', () => {
    expect(parseDkimCommand(['generate', 'example.test'], {}, false)).toEqual({ kind: 'run', request: { version: 1, op: 'generate', domain: 'example.test' } });
    expect(parseDkimCommand(['generate', 'example.test'], { selector: 'mail2025', replace: true }, false)).toEqual({
      kind: 'run',
      request: { version: 1, op: 'generate', domain: 'example.test', selector: 'mail2025', replace: true },
    });
    expect(parseDkimCommand(['show', 'example.test'], {}, false)).toEqual({ kind: 'run', request: { version: 1, op: 'show', domain: 'example.test' } });
    expect(parseDkimCommand(['list'], {}, false)).toEqual({ kind: 'run', request: { version: 1, op: 'list' } });
  });

  it('refuses bad domains and selectors, and options on other commands', () => {
    expect(parseDkimCommand(['generate', 'not a domain'], {}, false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/invalid domain/) });
    expect(parseDkimCommand(['generate', 'example.test'], { selector: 'bad_selector!' }, false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/invalid selector/) });
    expect(parseDkimCommand(['show', 'example.test'], { replace: true }, false)).toMatchObject({ kind: 'invalid' });
    expect(parseDkimCommand(['rotate', 'example.test'], {}, false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/unknown command/) });
  });
});

describe('zoneRecord', () => {
  it('splits the record into strings of at most 255 characters (RFC 6376 §3.6.2.2)', () => {
    const value = `v=DKIM1; k=rsa; p=${'A'.repeat(392)}`;
    const line = zoneRecord({ dnsName: 's1._domainkey.example.test', dnsValue: value });
    const strings = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(line.startsWith('s1._domainkey.example.test TXT "v=DKIM1; k=rsa; p=')).toBe(true);
    expect(strings.every((s) => s.length <= 255)).toBe(true);
    expect(strings.join('')).toBe(value);
  });

  it('prints the record and the relay’s note after generate', () => {
    const key = { domain: 'example.test', selector: 's1', algorithm: 'rsa-sha256', createdAt: '2025-01-01T00:00:00.000Z', dnsName: 's1._domainkey.example.test', dnsValue: 'v=DKIM1; k=rsa; p=AB' };
    expect(renderDkimResponse({ version: 1, op: 'generate', domain: 'example.test' }, { keys: [key], message: 'publish it' })).toBe(
      's1._domainkey.example.test TXT "v=DKIM1; k=rsa; p=AB"\n; publish it\n',
    );
  });
});
