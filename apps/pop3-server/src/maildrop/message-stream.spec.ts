// Tests of message-stream.ts: chunk boundaries do not change the stuffed output.
import { describe, expect, it } from 'vitest';
import { encodeMultiline } from '@mail/pop3';
import { RecordingChannel } from '../test-support/command-harness';
import { streamMessage } from './message-stream';

async function* chunksOf(body: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < body.length; offset += size) yield body.subarray(offset, offset + size);
}

describe('streamMessage', () => {
  const body = Buffer.from('a\r\n.\r\n..b\r\n\r\n.c\r\nend\r\n', 'latin1');

  it.each([1, 2, 3, 5, 64])('stuffs the same way with %i-octet chunks', async (size) => {
    const channel = new RecordingChannel();
    const octets = await streamMessage(channel, chunksOf(body, size), { statusLine: '+OK\r\n' });
    expect(octets).toBe(body.length);
    expect(channel.take()).toBe(`+OK\r\n${encodeMultiline(body).toString('latin1')}`);
  });

  it('sends a terminator alone for an empty message', async () => {
    const channel = new RecordingChannel();
    expect(await streamMessage(channel, chunksOf(Buffer.alloc(0), 4), { statusLine: '+OK 0 octets\r\n' })).toBe(0);
    expect(channel.take()).toBe('+OK 0 octets\r\n.\r\n');
  });
});
