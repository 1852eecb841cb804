// Tests of proxy-handshake.ts with a scripted preamble reader: who the client is, and why a peer is closed.
import { describe, expect, it } from 'vitest';
import { AddressList, encodeProxyV2, formatProxyV1 } from '@mail/proxy-protocol';
import type { PreambleOutcome } from '../session/transport';
import { identifyClient, type PreambleReader } from './proxy-handshake';

/** Feeds `chunks` one by one to the parser, then reports `end`. */
function reader(chunks: (string | Buffer)[], end: PreambleOutcome = 'closed'): PreambleReader & { rest: Buffer } {
  const state = { rest: Buffer.alloc(0) };
  return {
    get rest() {
      return state.rest;
    },
    async readPreamble(parse) {
      let input = Buffer.alloc(0);
      for (const chunk of chunks) {
        input = Buffer.concat([input, Buffer.from(chunk)]);
        const length = parse(input);
        if (length !== undefined) {
          state.rest = input.subarray(length);
          return 'complete';
        }
      }
      return end;
    },
  };
}

const trusted = AddressList.parse(['10.0.0.0/8']);
const lb = { ip: '10.0.0.5', port: 33_000 };

describe('identifyClient', () => {
  it('takes an untrusted peer as the client without reading anything', async () => {
    const input = reader([formatProxyV1({ address: '192.0.2.1', port: 1, family: 'IPv4' }, { address: '10.0.0.5', port: 25, family: 'IPv4' })]);
    expect(await identifyClient(input, { ip: '192.0.2.99', port: 5 }, trusted, 1000)).toEqual({ ok: true, client: { ip: '192.0.2.99', port: 5 } });
  });

  it('reads a v1 header in pieces and keeps what follows it', async () => {
    const input = reader(['PROXY TCP4 192.0.2.1 10.0.0.5 ', '40000 25\r\nEHLO x\r\n']);
    const identity = await identifyClient(input, lb, trusted, 1000);
    expect(identity).toMatchObject({ ok: true, client: { ip: '192.0.2.1', port: 40_000 }, header: { version: 1 } });
    expect(input.rest.toString()).toBe('EHLO x\r\n');
  });

  it('unwraps IPv4-mapped sources and falls back to the peer for LOCAL', async () => {
    const mapped = reader(['PROXY TCP6 ::ffff:192.0.2.7 ::1 1 25\r\n']);
    expect(await identifyClient(mapped, lb, trusted, 1000)).toMatchObject({ ok: true, client: { ip: '192.0.2.7', port: 1 } });
    const local = reader([encodeProxyV2({ command: 'local' })]);
    expect(await identifyClient(local, lb, trusted, 1000)).toMatchObject({ ok: true, client: lb, header: { command: 'local' } });
  });

  it('refuses a trusted peer that sends something else, nothing in time, or hangs up', async () => {
    expect(await identifyClient(reader(['EHLO client.test\r\n']), lb, trusted, 1000)).toEqual({
      ok: false,
      reason: 'proxy-invalid',
      detail: 'no PROXY protocol header at the start of the connection',
    });
    expect(await identifyClient(reader(['PROXY TCP4 '], 'timeout'), lb, trusted, 250)).toEqual({ ok: false, reason: 'proxy-timeout', detail: 'no PROXY header within 250 ms' });
    expect(await identifyClient(reader([], 'closed'), lb, trusted, 250)).toMatchObject({ ok: false, reason: 'closed' });
  });
});
