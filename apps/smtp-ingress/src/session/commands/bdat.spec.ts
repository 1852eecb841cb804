// Tests of bdat.ts: chunks, LAST, BINARYMIME and the size limit (RFC 3030).
import { describe, expect, it } from 'vitest';
import { converse, createHarness, type Harness } from '../../test-support/command-harness';

async function opened(mailParams = ''): Promise<Harness> {
  const h = createHarness();
  await converse(h, `EHLO client.test\r\nMAIL FROM:<alice@crepes.fr>${mailParams}\r\nRCPT TO:<bob@example.test>\r\n`);
  return h;
}

describe('BDAT (RFC 3030)', () => {
  it('collects chunks and queues the message at LAST', async () => {
    const h = await opened();
    const replies = await converse(h, 'BDAT 7\r\nHello\r\nBDAT 8 LAST\r\n.World\r\nNOOP\r\n');
    expect(replies).toMatch(/^250 2\.0\.0 7 octets received\r\n250 2\.0\.0 Ok: queued as \w+\r\n250 2\.0\.0 Ok\r\n$/);
    expect([...h.queue.bodies.values()][0]?.toString()).toBe('Hello\r\n.World\r\n');
  });

  it('accepts an empty LAST chunk', async () => {
    const h = await opened();
    expect(await converse(h, 'BDAT 4\r\nab\r\nBDAT 0 LAST\r\n')).toMatch(/Ok: queued as/);
  });

  it('refuses bare line endings in text bodies but not in BINARYMIME', async () => {
    const text = await opened();
    expect(await converse(text, 'BDAT 3 LAST\r\na\nb')).toMatch(/^550 5\.6\.11 /);
    const binary = await opened(' BODY=BINARYMIME');
    expect(await converse(binary, 'BDAT 3 LAST\r\na\nb')).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect(binary.queue.events[0]?.envelope.bodyType).toBe('BINARYMIME');
  });

  it('refuses the chunk that passes the size limit and ends the transaction', async () => {
    const h = await opened();
    const replies = await converse(h, `BDAT 600\r\n${'x'.repeat(600)}BDAT 600\r\n${'y'.repeat(600)}BDAT 1 LAST\r\nzNOOP\r\n`);
    expect(replies).toMatch(/^250 2\.0\.0 600 octets received\r\n552 5\.3\.4 .*\r\n503 5\.5\.1 .*\r\n250 2\.0\.0 Ok\r\n$/);
    expect(h.queue.bodies.size).toBe(0);
  });
});
