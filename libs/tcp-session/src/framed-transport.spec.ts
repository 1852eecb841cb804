// Tests of framed-transport.ts: input framed and queued in order, reading paused at the queue bound and resumed at half, the end of input, writes.
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackSocketPairs, waitFor, type LoopbackSocketPairs } from '@mail/testing';
import { FramedTransport, type InputFramer } from './framed-transport';

/** Splits input at LF (enough framing to drive the transport). */
class LineFramer implements InputFramer<string> {
  #rest = '';
  push(chunk: Uint8Array): string[] {
    const lines = (this.#rest + Buffer.from(chunk).toString('latin1')).split('\n');
    this.#rest = lines.pop() ?? '';
    return lines;
  }
}

describe('FramedTransport', () => {
  let pairs: LoopbackSocketPairs;
  beforeAll(async () => (pairs = await startLoopbackSocketPairs()));
  afterAll(async () => pairs.close());

  const open = async (maxQueued = 100): Promise<{ client: Socket; server: Socket; transport: FramedTransport<string, LineFramer> }> => {
    const [client, server] = await pairs.next();
    const transport = new FramedTransport<string, LineFramer>(server, { newFramer: () => new LineFramer(), idleTimeoutMs: 60_000, maxQueued, onIdle: () => undefined });
    return { client, server, transport };
  };

  it('hands out framed units in order across chunk boundaries, then undefined once the client closed', async () => {
    const { client, transport } = await open();
    client.write('one\ntw');
    expect(await transport.nextInput()).toBe('one');
    client.end('o\nthree\n');
    expect(await transport.nextInput()).toBe('two');
    expect(await transport.nextInput()).toBe('three');
    expect(await transport.nextInput()).toBeUndefined();
    expect(transport.ended).toBe(true);
    transport.destroy();
  });

  it('pauses reading while maxQueued units wait and resumes once half were taken', async () => {
    const { client, server, transport } = await open(4);
    client.write('a\nb\nc\nd\n');
    await waitFor(() => server.isPaused(), { description: 'reading paused at 4 queued units' });
    expect(transport.takeInput()).toBe('a');
    expect(server.isPaused()).toBe(true);
    expect(transport.takeInput()).toBe('b');
    expect(server.isPaused()).toBe(false);
    transport.destroy();
    client.destroy();
  });

  it('frames a read of many commands a few lines at a time, holding the rest raw: the queue stays at its bound', async () => {
    const { client, server, transport } = await open(4);
    // Thousands of commands in one write: one or a few reads
    const count = 5000;
    client.write(Array.from({ length: count }, (_, i) => `u${i}\n`).join(''));
    await waitFor(() => server.isPaused(), { description: 'reading paused at 4 queued units' });
    expect(transport.queued).toBe(4);
    for (let i = 0; i < count; i++) {
      expect(await transport.nextInput()).toBe(`u${i}`);
      expect(transport.queued).toBeLessThanOrEqual(4);
    }
    transport.destroy();
    client.destroy();
  });

  it('writes to the client and stops handing out input after stopReading', async () => {
    const { client, transport } = await open();
    const received = once(client, 'data');
    await transport.write('hello\r\n');
    expect(String((await received)[0])).toBe('hello\r\n');
    client.write('pending\n');
    await transport.waitForInput();
    transport.stopReading();
    expect(await transport.nextInput()).toBeUndefined();
    await transport.close(100);
    client.destroy();
  });
});
