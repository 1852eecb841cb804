import { describe, it, expect } from 'vitest';
import { Packet } from 'dns2';
import type { Resource } from 'dns2';
import { readResponse } from './response';

const { TYPE, CLASS, RCODE } = Packet;

interface ReplySpec {
  rcode?: number;
  tc?: boolean;
  answers?: Partial<Resource>[];
  authorities?: Partial<Resource>[];
}

/** Builds a response in memory and round-trips it through the wire format, as the client would see it. */
function reply(spec: ReplySpec): Packet {
  const packet = new Packet();
  packet.header = new Packet.Header({ id: 1, qr: 1, rcode: spec.rcode ?? RCODE.NOERROR, tc: spec.tc ? 1 : 0 });
  packet.answers = (spec.answers ?? []).map((r) => new Packet.Resource({ class: CLASS.IN, ttl: 300, ...r }));
  packet.authorities = (spec.authorities ?? []).map((r) => new Packet.Resource({ class: CLASS.IN, ttl: 300, ...r }));
  return Packet.parse(packet.toBuffer());
}

const soa = (ttl: number, minimum: number): Partial<Resource> => ({
  name: 'example.test',
  type: TYPE.SOA,
  ttl,
  primary: 'ns.example.test',
  admin: 'hostmaster.example.test',
  serial: 1,
  refresh: 3600,
  retry: 600,
  expiration: 86400,
  minimum,
});

describe('readResponse', () => {
  it('reads A records of the asked name, ignoring case and other owners', () => {
    const packet = reply({
      answers: [
        { name: 'WWW.Example.Test', type: TYPE.A, address: '192.0.2.1', ttl: 60 },
        { name: 'other.test', type: TYPE.A, address: '192.0.2.9' },
      ],
    });
    expect(readResponse(packet, 'www.example.test.', 'A', 8)).toEqual({
      kind: 'answer',
      answer: { status: 'ok', records: [{ type: 'A', name: 'www.example.test', ttl: 60, address: '192.0.2.1' }] },
    });
  });

  it('reads MX (null MX exchange as "."), TXT strings and PTR targets', () => {
    const mx = reply({
      answers: [
        { name: 'example.test', type: TYPE.MX, priority: 10, exchange: 'MX.Example.Test' },
        { name: 'example.test', type: TYPE.MX, priority: 0, exchange: '.' },
      ],
    });
    expect(readResponse(mx, 'example.test', 'MX', 8)).toMatchObject({
      answer: {
        records: [
          { preference: 10, exchange: 'mx.example.test' },
          { preference: 0, exchange: '.' },
        ],
      },
    });
    const txt = reply({ answers: [{ name: 'example.test', type: TYPE.TXT, data: ['v=spf1 ', 'mx -all'] }] });
    expect(readResponse(txt, 'example.test', 'TXT', 8)).toMatchObject({
      answer: { records: [{ strings: ['v=spf1 ', 'mx -all'], text: 'v=spf1 mx -all' }] },
    });
    const ptr = reply({ answers: [{ name: '1.2.0.192.in-addr.arpa', type: TYPE.PTR, domain: 'host.example.test.' }] });
    expect(readResponse(ptr, '1.2.0.192.in-addr.arpa', 'PTR', 8)).toMatchObject({
      answer: { records: [{ type: 'PTR', target: 'host.example.test' }] },
    });
  });

  it('follows a CNAME chain in the answer and caps TTLs by the aliases', () => {
    const packet = reply({
      answers: [
        { name: 'www.example.test', type: TYPE.CNAME, domain: 'web.example.test', ttl: 30 },
        { name: 'web.example.test', type: TYPE.CNAME, domain: 'host.example.test', ttl: 120 },
        { name: 'host.example.test', type: TYPE.A, address: '192.0.2.5', ttl: 600 },
      ],
    });
    expect(readResponse(packet, 'www.example.test', 'A', 8)).toEqual({
      kind: 'answer',
      answer: { status: 'ok', records: [{ type: 'A', name: 'host.example.test', ttl: 30, address: '192.0.2.5' }] },
    });
  });

  it('answers a CNAME question with the CNAME itself', () => {
    const packet = reply({ answers: [{ name: 'www.example.test', type: TYPE.CNAME, domain: 'host.example.test' }] });
    expect(readResponse(packet, 'www.example.test', 'CNAME', 8)).toMatchObject({
      answer: { status: 'ok', records: [{ type: 'CNAME', target: 'host.example.test' }] },
    });
  });

  it('hands back the target of a chain the server did not chase', () => {
    const packet = reply({ answers: [{ name: 'www.example.test', type: TYPE.CNAME, domain: 'cdn.other.test', ttl: 90 }] });
    expect(readResponse(packet, 'www.example.test', 'A', 8)).toEqual({
      kind: 'alias',
      target: 'cdn.other.test',
      ttl: 90,
      hops: 1,
    });
  });

  it('reads a chain ending in NODATA (SOA present) as NODATA', () => {
    const packet = reply({
      answers: [{ name: 'www.example.test', type: TYPE.CNAME, domain: 'host.example.test', ttl: 20 }],
      authorities: [soa(300, 60)],
    });
    expect(readResponse(packet, 'www.example.test', 'AAAA', 8)).toEqual({
      kind: 'answer',
      answer: { status: 'nodata', ttl: 20 },
    });
  });

  it('turns CNAME loops and over-long chains into SERVFAIL', () => {
    const loop = reply({
      answers: [
        { name: 'a.test', type: TYPE.CNAME, domain: 'b.test' },
        { name: 'b.test', type: TYPE.CNAME, domain: 'a.test' },
      ],
    });
    expect(readResponse(loop, 'a.test', 'A', 8)).toMatchObject({ answer: { status: 'servfail', detail: 'CNAME loop at a.test' } });
    const chain = reply({
      answers: Array.from({ length: 3 }, (_, i) => ({ name: `c${i}.test`, type: TYPE.CNAME, domain: `c${i + 1}.test` })),
    });
    expect(readResponse(chain, 'c0.test', 'A', 2)).toMatchObject({ answer: { status: 'servfail' } });
    expect(readResponse(chain, 'c0.test', 'A', 3)).toMatchObject({ kind: 'alias', target: 'c3.test', hops: 3 });
  });

  it('tells NXDOMAIN from NODATA, with the RFC 2308 negative TTL', () => {
    expect(readResponse(reply({ rcode: RCODE.NXDOMAIN, authorities: [soa(300, 60)] }), 'x.test', 'A', 8)).toEqual({
      kind: 'answer',
      answer: { status: 'nxdomain', ttl: 60 },
    });
    expect(readResponse(reply({ authorities: [soa(45, 60)] }), 'x.test', 'A', 8)).toEqual({
      kind: 'answer',
      answer: { status: 'nodata', ttl: 45 },
    });
    expect(readResponse(reply({ rcode: RCODE.NXDOMAIN }), 'x.test', 'A', 8)).toEqual({ kind: 'answer', answer: { status: 'nxdomain' } });
    expect(readResponse(reply({}), 'x.test', 'A', 8)).toEqual({ kind: 'answer', answer: { status: 'nodata' } });
  });

  it('reads SERVFAIL, other error RCODEs, truncation and malformed replies as SERVFAIL', () => {
    expect(readResponse(reply({ rcode: RCODE.SERVFAIL }), 'x.test', 'A', 8)).toMatchObject({ answer: { status: 'servfail' } });
    expect(readResponse(reply({ rcode: RCODE.REFUSED }), 'x.test', 'A', 8)).toMatchObject({
      answer: { status: 'servfail', detail: 'error response (RCODE 5)' },
    });
    expect(readResponse(reply({ tc: true }), 'x.test', 'A', 8)).toMatchObject({ answer: { status: 'servfail' } });

    const good = new Packet();
    good.header = new Packet.Header({ id: 1, qr: 1 });
    good.answers = [new Packet.Resource({ name: 'x.test', type: TYPE.TXT, class: CLASS.IN, ttl: 1, data: ['abc'] })];
    const wire = good.toBuffer();
    wire[wire.length - 4] = 10; // the character-string now claims more octets than RDATA holds
    expect(readResponse(Packet.parse(wire), 'x.test', 'TXT', 8)).toMatchObject({
      answer: { status: 'servfail', detail: expect.stringMatching(/^malformed response: /) },
    });
  });
});
