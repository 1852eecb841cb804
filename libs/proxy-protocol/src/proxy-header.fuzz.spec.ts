// Property tests of proxy-header.ts, v1.ts, v2.ts and v2-encoder.ts (HAProxy
// "The PROXY protocol" §2.1, §2.2): on arbitrary bytes the parser answers
// incomplete, complete or ProxyProtocolError, never anything else; feeding
// the bytes as they arrive (each time all received so far, as the listener
// does) ends in the same outcome as one read; what encodeProxyV2 and
// formatProxyV1 write parses back to the same endpoints and TLVs.
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProxyHeader } from './proxy-header';
import { ProxyProtocolError, type ProxyEndpoint, type ProxyParseResult } from './proxy-types';
import { formatProxyV1 } from './v1';
import { Pp2Type, V2_SIGNATURE } from './v2';
import { encodeProxyV2 } from './v2-encoder';

type Outcome = ProxyParseResult | { status: 'error'; message: string };

function outcome(bytes: Uint8Array): Outcome {
  try {
    return parseProxyHeader(bytes);
  } catch (error) {
    if (error instanceof ProxyProtocolError) return { status: 'error', message: error.message };
    throw error;
  }
}

const port = fc.integer({ min: 0, max: 0xffff });
const v4 = fc.record({ address: fc.ipV4(), port, family: fc.constant('IPv4' as const) });
const v6 = fc.record({ address: fc.ipV6(), port, family: fc.constant('IPv6' as const) });
const endpoints = fc.oneof(fc.tuple(v4, v4), fc.tuple(v6, v6));
const tlv = fc.record({ type: fc.integer({ min: 0, max: 255 }).filter((t) => t !== Pp2Type.CRC32C), value: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)) });

/** Arbitrary bytes, often behind a valid start so the parser gets past its first checks. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc
    .tuple(fc.constantFrom('PROXY ', 'PROXY TCP4 ', 'PROXY TCP6 ', 'PROXY UNKNOWN', 'PROXY TCP4 1.2.3.4 5.6.7.8 1 2'), fc.string({ unit: 'binary-ascii', maxLength: 120 }))
    .map(([a, b]) => Buffer.from(a + b, 'latin1')),
  fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ maxLength: 300 })).map(([fixed, rest]) => Buffer.concat([V2_SIGNATURE, fixed, rest])),
  fc
    .tuple(fc.constantFrom(0x20, 0x21, 0x22, 0x11), fc.constantFrom(0x00, 0x11, 0x12, 0x21, 0x22, 0x31, 0x32, 0x13, 0x41), fc.integer({ min: 0, max: 300 }), fc.uint8Array({ maxLength: 300 }))
    .map(([verCmd, fam, length, rest]) => {
      const fixed = Buffer.from([verCmd, fam, length >> 8, length & 0xff]);
      return Buffer.concat([V2_SIGNATURE, fixed, rest]);
    }),
);

/** 16 octets of an IPv6 address written in any valid form. */
function ipv6Octets(text: string): string {
  const [head = '', tail] = text.split('::');
  const groups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => (g.includes('.') ? [Number(g.split('.')[0]) * 256 + Number(g.split('.')[1]), Number(g.split('.')[2]) * 256 + Number(g.split('.')[3])] : [parseInt(g, 16)]));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right].map((g) => g.toString(16).padStart(4, '0')).join(':');
}

const same = (a: ProxyEndpoint | undefined, b: ProxyEndpoint): void => {
  expect(a?.family).toBe(b.family);
  expect(a?.port).toBe(b.port);
  if (b.family === 'IPv4') expect(a?.address).toBe(b.address);
  else expect(ipv6Octets(a?.address ?? '')).toBe(ipv6Octets(b.address));
};

describe('parseProxyHeader (fuzz)', () => {
  it('answers incomplete, complete or ProxyProtocolError on arbitrary bytes; a complete header fits the input', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const result = outcome(input);
        if (result.status === 'complete') {
          expect(result.length).toBeGreaterThan(0);
          expect(result.length).toBeLessThanOrEqual(input.length);
          if (result.header.source?.family === 'IPv6') expect(isIPv6(result.header.source.address)).toBe(true);
        }
      }),
    );
  });

  it('reaches the same outcome whether the bytes come at once or in arbitrary pieces', () => {
    fc.assert(
      fc.property(bytes, fc.uniqueArray(fc.nat(), { maxLength: 10 }), (input, cuts) => {
        const whole = outcome(input);
        const points = [...cuts.map((p) => p % (input.length + 1)).sort((a, b) => a - b), input.length];
        let incremental: Outcome = { status: 'incomplete' };
        for (const end of points) {
          incremental = outcome(input.subarray(0, end));
          if (incremental.status !== 'incomplete') break;
        }
        expect(incremental).toEqual(whole);
      }),
    );
  });

  it('parses back what encodeProxyV2 writes: endpoints, TLVs, CRC32C, and the bytes after it', () => {
    fc.assert(
      fc.property(endpoints, fc.array(tlv, { maxLength: 5 }), fc.boolean(), fc.uint8Array({ maxLength: 20 }), ([source, destination], tlvs, crc, after) => {
        const header = encodeProxyV2({ source, destination, tlvs, crc32c: crc });
        const result = outcome(Buffer.concat([header, after]));
        expect(result.status).toBe('complete');
        if (result.status !== 'complete') return;
        expect(result.length).toBe(header.length);
        same(result.header.source, source);
        same(result.header.destination, destination);
        expect(result.header.tlvs.filter((t) => t.type !== Pp2Type.CRC32C)).toEqual(tlvs);
        expect(result.header.tlvs.some((t) => t.type === Pp2Type.CRC32C)).toBe(crc);
      }),
    );
  });

  it('refuses a v2 header with a CRC32C that does not match (spec §2.2.5)', () => {
    fc.assert(
      fc.property(endpoints, fc.array(tlv, { maxLength: 3 }), fc.nat(), fc.integer({ min: 1, max: 255 }), ([source, destination], tlvs, at, flip) => {
        const header = encodeProxyV2({ source, destination, tlvs, crc32c: true });
        const corrupt = Buffer.from(header);
        // In the address block or the checksum itself (a flipped TLV type or length
        // would make another header, possibly one without a checksum, which is valid)
        const addressBlock = source.family === 'IPv4' ? 12 : 36;
        const i = at % 2 === 0 ? 16 + (at % addressBlock) : header.length - 1 - (at % 4);
        corrupt[i] = (corrupt[i] ?? 0) ^ flip;
        expect(outcome(corrupt).status).not.toBe('complete');
      }),
    );
  });

  it('parses back what formatProxyV1 writes (spec §2.1)', () => {
    fc.assert(
      fc.property(endpoints, ([source, destination]) => {
        const line = formatProxyV1(source, destination);
        const result = outcome(Buffer.from(line, 'latin1'));
        expect(result.status).toBe('complete');
        if (result.status !== 'complete') return;
        expect(result.length).toBe(line.length);
        same(result.header.source, source);
        same(result.header.destination, destination);
      }),
    );
  });
});
