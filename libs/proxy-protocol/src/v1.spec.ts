import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProxyHeader } from './proxy-header';
import { ProxyProtocolError, type ProxyEndpoint } from './proxy-types';
import { formatProxyV1, MAX_V1_HEADER } from './v1';

interface Fixtures {
  good: { in: string; source?: ProxyEndpoint; destination?: ProxyEndpoint }[];
  bad: { in: string; why: string }[];
}
const fixtures = JSON.parse(readFileSync(new URL('../testdata/v1.json', import.meta.url), 'utf8')) as Fixtures;

describe('PROXY v1 (testdata/v1.json)', () => {
  it.each(fixtures.good)('parses $in', (f) => {
    const result = parseProxyHeader(Buffer.from(`${f.in}EHLO client.test\r\n`, 'latin1'));
    expect(result).toEqual({
      status: 'complete',
      length: f.in.length,
      header: { version: 1, command: 'proxy', tlvs: [], ...(f.source ? { source: f.source, destination: f.destination } : {}) },
    });
  });

  it.each(fixtures.bad)('rejects $in', (f) => {
    expect(() => parseProxyHeader(Buffer.from(f.in, 'latin1'))).toThrow(ProxyProtocolError);
    expect(() => parseProxyHeader(Buffer.from(f.in, 'latin1'))).toThrow(f.why);
  });

  it('asks for more bytes until the CRLF, byte by byte', () => {
    const line = Buffer.from(fixtures.good[0]?.in ?? '', 'latin1');
    for (let n = 1; n < line.length; n++) expect(parseProxyHeader(line.subarray(0, n))).toEqual({ status: 'incomplete' });
    expect(parseProxyHeader(line).status).toBe('complete');
  });

  it('gives up when 107 octets bring no line end', () => {
    expect(() => parseProxyHeader(Buffer.from(`PROXY TCP4 ${'1'.repeat(MAX_V1_HEADER)}`, 'latin1'))).toThrow(/107/);
  });

  it('formats what it parses', () => {
    const source: ProxyEndpoint = { address: '192.0.2.1', port: 4000, family: 'IPv4' };
    const destination: ProxyEndpoint = { address: '192.0.2.2', port: 25, family: 'IPv4' };
    const line = formatProxyV1(source, destination);
    expect(line).toBe('PROXY TCP4 192.0.2.1 192.0.2.2 4000 25\r\n');
    expect(parseProxyHeader(Buffer.from(line))).toMatchObject({ header: { source, destination } });
    expect(formatProxyV1()).toBe('PROXY UNKNOWN\r\n');
  });
});
