import { describe, expect, it } from 'vitest';
import { parseProxyHeader } from './proxy-header';
import { ProxyProtocolError, type ProxyEndpoint } from './proxy-types';
import { proxyTlvValues } from './tlv-values';
import { Pp2Type, V2_SIGNATURE } from './v2';
import { encodeProxyV2 } from './v2-encoder';

const v4Source: ProxyEndpoint = { address: '192.0.2.10', port: 56324, family: 'IPv4' };
const v4Destination: ProxyEndpoint = { address: '198.51.100.1', port: 25, family: 'IPv4' };
const v6Source: ProxyEndpoint = { address: '2001:db8::1', port: 40000, family: 'IPv6' };
const v6Destination: ProxyEndpoint = { address: '2001:db8:0:1::25', port: 587, family: 'IPv6' };

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('PROXY v2', () => {
  it('parses the header HAProxy writes for TCP over IPv4 (spec §2.2 example bytes)', () => {
    // 172.19.0.1:42578 → 172.19.0.3:80, followed by the proxied protocol
    const wire = hex('0d0a0d0a000d0a515549540a 21 11 000c ac130001 ac130003 a652 0050 47455420');
    expect(parseProxyHeader(wire)).toEqual({
      status: 'complete',
      length: 28,
      header: {
        version: 2,
        command: 'proxy',
        source: { address: '172.19.0.1', port: 42578, family: 'IPv4' },
        destination: { address: '172.19.0.3', port: 80, family: 'IPv4' },
        tlvs: [],
      },
    });
  });

  it('round-trips IPv4 and IPv6 through the encoder', () => {
    for (const [source, destination] of [
      [v4Source, v4Destination],
      [v6Source, v6Destination],
    ] as const) {
      const header = encodeProxyV2({ source, destination });
      expect(parseProxyHeader(header)).toEqual({ status: 'complete', length: header.length, header: { version: 2, command: 'proxy', source, destination, tlvs: [] } });
    }
  });

  it('compresses IPv6 addresses as RFC 5952 prints them', () => {
    const source: ProxyEndpoint = { address: '2001:db8:0:0:1:0:0:1', port: 1, family: 'IPv6' };
    const parsed = parseProxyHeader(encodeProxyV2({ source, destination: { ...source, address: '::' } }));
    expect(parsed).toMatchObject({ header: { source: { address: '2001:db8::1:0:0:1' }, destination: { address: '::' } } });
  });

  it('reads TLVs, checks the CRC32C and decodes the registered types', () => {
    const ssl = Buffer.concat([
      Buffer.from([0x07, 0, 0, 0, 0]), // client: SSL | CERT_CONN | CERT_SESS; verify: 0 (verified)
      Buffer.from([0x21, 0x00, 0x07]),
      Buffer.from('TLSv1.3'),
      Buffer.from([0x22, 0x00, 0x0b]),
      Buffer.from('client.test'),
    ]);
    const tlvs = [
      { type: Pp2Type.ALPN, value: Buffer.from('smtp') },
      { type: Pp2Type.AUTHORITY, value: Buffer.from('mx.example.test') },
      { type: Pp2Type.UNIQUE_ID, value: Buffer.from('abc123') },
      { type: Pp2Type.SSL, value: ssl },
      { type: 0xe0, value: Buffer.from('custom, ignored') },
    ];
    const header = encodeProxyV2({ source: v4Source, destination: v4Destination, tlvs, crc32c: true });
    const result = parseProxyHeader(header);
    if (result.status !== 'complete') throw new Error('incomplete');
    expect(result.header.tlvs.map((t) => t.type)).toEqual([0x01, 0x02, 0x05, 0x20, 0xe0, Pp2Type.CRC32C]);
    expect(proxyTlvValues(result.header.tlvs)).toEqual({
      alpn: 'smtp',
      authority: 'mx.example.test',
      uniqueId: Buffer.from('abc123'),
      ssl: { tls: true, verifiedCertificate: true, version: 'TLSv1.3', commonName: 'client.test' },
    });
  });

  it('refuses a header whose CRC32C does not match', () => {
    const header = encodeProxyV2({ source: v4Source, destination: v4Destination, crc32c: true });
    header[20] = (header[20] as number) ^ 0xff; // change an address octet
    expect(() => parseProxyHeader(header)).toThrow(/CRC32C checksum mismatch/);
  });

  it('takes LOCAL (a health check of the proxy) without endpoints', () => {
    const header = encodeProxyV2({ command: 'local' });
    expect(parseProxyHeader(header)).toEqual({ status: 'complete', length: 16, header: { version: 2, command: 'local', tlvs: [] } });
  });

  it('gives no endpoints for AF_UNSPEC, AF_UNIX and DGRAM', () => {
    const unspec = Buffer.concat([V2_SIGNATURE, hex('21 00 0000')]);
    expect(parseProxyHeader(unspec)).toMatchObject({ status: 'complete', header: { command: 'proxy' } });
    expect(parseProxyHeader(unspec)).not.toHaveProperty('header.source');
    const unix = Buffer.concat([V2_SIGNATURE, hex('21 31 00d8'), Buffer.alloc(216)]);
    expect(parseProxyHeader(unix)).toMatchObject({ status: 'complete', length: 232 });
    expect(parseProxyHeader(unix)).not.toHaveProperty('header.source');
    const dgram = Buffer.concat([V2_SIGNATURE, hex('21 12 000c c0000201 c0000202 0035 0035')]);
    expect(parseProxyHeader(dgram)).toMatchObject({ status: 'complete', length: 28 });
    expect(parseProxyHeader(dgram)).not.toHaveProperty('header.source');
  });

  it('asks for more bytes while the signature, the fixed part or the body is truncated', () => {
    const header = encodeProxyV2({ source: v6Source, destination: v6Destination, tlvs: [{ type: Pp2Type.NOOP, value: Buffer.alloc(10) }] });
    for (let n = 1; n < header.length; n++) expect(parseProxyHeader(header.subarray(0, n))).toEqual({ status: 'incomplete' });
    expect(parseProxyHeader(header)).toMatchObject({ status: 'complete', length: header.length });
  });

  it.each([
    ['version 1 in the binary form', '11 11 000c c0000201 c0000202 0001 0002', /unsupported version/],
    ['an unknown command', '22 11 000c c0000201 c0000202 0001 0002', /unknown command/],
    ['an unknown family', '21 41 0000', /unknown address family/],
    ['an unknown transport', '21 13 000c c0000201 c0000202 0001 0002', /unknown address family/],
    ['an address block too short for INET', '21 11 0008 c0000201 c0000202', /shorter than its family/],
    ['an address block too short for INET6', '21 21 000c c0000201 c0000202 0001 0002', /shorter than its family/],
    ['a truncated TLV header', '21 11 000e c0000201 c0000202 0001 0002 0400', /truncated TLV/],
    ['a TLV running past the header', '21 11 0010 c0000201 c0000202 0001 0002 04 0005 00', /runs past/],
    ['a CRC32C TLV of the wrong size', '21 11 0011 c0000201 c0000202 0001 0002 03 0002 0000', /must be 4 octets/],
  ])('refuses %s', (_name, rest, why) => {
    const input = Buffer.concat([V2_SIGNATURE, hex(rest)]);
    expect(() => parseProxyHeader(input)).toThrow(ProxyProtocolError);
    expect(() => parseProxyHeader(input)).toThrow(why);
  });

  it('refuses a signature that goes wrong half way', () => {
    expect(() => parseProxyHeader(hex('0d0a0d0a000d0a5155495421'))).toThrow(ProxyProtocolError);
  });
});

describe('encodeProxyV2: counterexamples found by proxy-header.fuzz.spec.ts', () => {
  it('encodes an IPv6 address written with an IPv4 tail (how Node names IPv4 clients of a dual-stack socket)', () => {
    const source = { address: '::ffff:192.0.2.1', port: 25, family: 'IPv6' as const };
    const destination = { address: '::0:0:0:0.0.0.1', port: 587, family: 'IPv6' as const };
    const header = encodeProxyV2({ source, destination });
    expect(header.subarray(16, 32).toString('hex')).toBe('00000000000000000000ffffc0000201');
    expect(header.subarray(32, 48).toString('hex')).toBe('00000000000000000000000000000001');
    expect(() => encodeProxyV2({ source: { ...source, address: '1.2.3.4' }, destination })).toThrow(TypeError);
  });
});
