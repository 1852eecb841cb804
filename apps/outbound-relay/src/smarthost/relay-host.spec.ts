import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRelayHost, relayHost, smarthostOf, type SmarthostConfig } from './relay-host';

const config = (patch: Partial<SmarthostConfig>): SmarthostConfig => ({
  relayHost: parseRelayHost('[smtp.example.net]'),
  relayUsername: undefined,
  relayPassword: undefined,
  relayPasswordFile: undefined,
  relayTls: 'starttls',
  relayTlsCaFile: undefined,
  ...patch,
});

describe('parseRelayHost (Postfix relayhost forms)', () => {
  it('reads brackets as "no MX lookup" and a plain name as a mail domain', () => {
    expect(parseRelayHost('[smtp.example.net]:587')).toEqual({ host: 'smtp.example.net', port: 587, mxLookup: false });
    expect(parseRelayHost('Example.NET.')).toEqual({ host: 'example.net', port: undefined, mxLookup: true });
    expect(parseRelayHost('192.0.2.1:2525')).toEqual({ host: '192.0.2.1', port: 2525, mxLookup: false });
    expect(parseRelayHost('[2001:db8::1]:465')).toEqual({ host: '2001:db8::1', port: 465, mxLookup: false });
    expect(parseRelayHost('[ipv6:::1]')).toEqual({ host: '::1', port: undefined, mxLookup: false });
  });

  it('refuses what is not a host and port', () => {
    for (const bad of ['smtp.example.net:0', 'smtp.example.net:70000', 'a b', '2001:db8::1', '[x', 'smtp_example.net', '-bad.test']) expect(parseRelayHost(bad)).toBeUndefined();
  });

  it('names the variable and the forms when the value is malformed', () => {
    expect(() => relayHost('OUTBOUND_RELAY_HOST')({ OUTBOUND_RELAY_HOST: 'smtp:x' })).toThrow(/OUTBOUND_RELAY_HOST must be host, host:port, \[host\] or \[host\]:port/);
    expect(relayHost('OUTBOUND_RELAY_HOST')({})).toBeUndefined();
  });
});

describe('smarthostOf', () => {
  it('is undefined without a relay host, and refuses credentials without one', () => {
    expect(smarthostOf(config({ relayHost: undefined }))).toBeUndefined();
    expect(() => smarthostOf(config({ relayHost: undefined, relayUsername: 'u' }))).toThrow(/OUTBOUND_RELAY_HOST is required: expected set, since OUTBOUND_RELAY_USERNAME is/);
  });

  it('defaults the port to 587, or 465 for implicit TLS (RFC 8314 §3.3)', () => {
    expect(smarthostOf(config({}))).toMatchObject({ host: 'smtp.example.net', port: 587, tls: 'starttls', credentials: undefined });
    expect(smarthostOf(config({ relayTls: 'implicit' }))?.port).toBe(465);
    expect(smarthostOf(config({ relayHost: parseRelayHost('[smtp.example.net]:25') }))?.port).toBe(25);
  });

  it('wants a user name and exactly one password source together', () => {
    expect(() => smarthostOf(config({ relayUsername: 'u' }))).toThrow(/OUTBOUND_RELAY_PASSWORD/);
    expect(() => smarthostOf(config({ relayPassword: 'p' }))).toThrow(/OUTBOUND_RELAY_USERNAME/);
    expect(() => smarthostOf(config({ relayUsername: 'u', relayPassword: 'p', relayPasswordFile: '/x' }))).toThrow(/one of the two/);
    expect(smarthostOf(config({ relayUsername: 'u', relayPassword: 'p' }))?.credentials).toEqual({ user: 'u', password: { value: 'p' } });
  });

  it('reads the password file at start (without its final line end) and refuses an unreadable one', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'relay-host-')), 'password');
    writeFileSync(file, 'from a secret\n');
    expect(smarthostOf(config({ relayUsername: 'u', relayPasswordFile: file }))?.credentials).toEqual({ user: 'u', password: { file, readAtStart: 'from a secret' } });
    expect(() => smarthostOf(config({ relayUsername: 'u', relayPasswordFile: `${file}.missing` }))).toThrow(/OUTBOUND_RELAY_PASSWORD_FILE must be a readable file \(ENOENT\)/);
  });

  it('allows TLS none only for a smarthost on loopback', () => {
    expect(() => smarthostOf(config({ relayTls: 'none' }))).toThrow(/OUTBOUND_RELAY_TLS must be starttls or implicit unless OUTBOUND_RELAY_HOST is a loopback address/);
    expect(() => smarthostOf(config({ relayTls: 'none', relayHost: parseRelayHost('localhost') }))).toThrow(/loopback/);
    expect(smarthostOf(config({ relayTls: 'none', relayHost: parseRelayHost('[127.0.0.1]:2525') }))).toMatchObject({ host: '127.0.0.1', port: 2525, tls: 'none' });
    expect(smarthostOf(config({ relayTls: 'none', relayHost: parseRelayHost('[::1]') }))?.host).toBe('::1');
  });
});
