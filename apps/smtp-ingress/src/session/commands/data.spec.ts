// Tests of data.ts: DATA end to end through the real framing, smuggling vectors and limits.
import { describe, expect, it } from 'vitest';
import { converse, createHarness, type Harness } from '../../test-support/command-harness';

const start = 'EHLO client.test\r\nMAIL FROM:<alice@crepes.fr>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n';

async function send(data: string | Buffer, harness = createHarness({ settings: { maxErrors: 100 } })): Promise<{ h: Harness; replies: string[] }> {
  const replies = await converse(harness, Buffer.concat([Buffer.from(start), Buffer.from(data)]));
  return {
    h: harness,
    replies: replies
      .split('\r\n')
      .filter((l) => !l.startsWith('250-'))
      .slice(3, -1),
  };
}

describe('DATA', () => {
  it("queues the seed's message with dot-stuffing removed and answers 250 with the queue id", async () => {
    const { h, replies } = await send('Do you like ketchup?\r\nHow about pickles?\r\n..foo\r\n.\r\n');
    expect(replies[0]).toBe('354 End data with <CR><LF>.<CR><LF>');
    const id = /^250 2\.0\.0 Ok: queued as ([A-Z2-7]{24})$/.exec(replies[1] ?? '')?.[1];
    expect(id).toBeDefined();
    expect(h.queue.bodies.get(id ?? '')?.toString()).toBe('Do you like ketchup?\r\nHow about pickles?\r\n.foo\r\n');
    expect(h.queue.events[0]?.traceHeaders[0]?.value).toMatch(/^from client\.test \(client\.example\.test \[192\.0\.2\.1\]\)/);
    expect(h.ctx.state.transaction).toBeUndefined();
  });

  it('runs the command pipelined after the terminator (RFC 2920)', async () => {
    const { replies } = await send('hi\r\n.\r\nNOOP\r\n');
    expect(replies.slice(1)).toEqual([expect.stringMatching(/^250 2\.0\.0 Ok: queued as /), '250 2.0.0 Ok']);
  });

  it.each([
    ['bare LF', 'a\nb\r\n.\r\n'],
    ['bare CR', 'a\rb\r\n.\r\n'],
    ['LF dot LF', 'a\r\n\n.\n\r\n.\r\n'],
    ['CRLF dot LF', 'a\r\n.\nMAIL FROM:<x@y.test>\r\n.\r\n'],
    ['LF dot CRLF', 'a\n.\r\nb\r\n.\r\n'],
    ['CR dot CRLF', 'a\r.\r\nb\r\n.\r\n'],
  ])('refuses %s with 550 5.6.11 after the real terminator, never ending early', async (_name, data) => {
    const { h, replies } = await send(data);
    expect(replies.slice(1)).toEqual([expect.stringMatching(/^550 5\.6\.11 /)]);
    expect(h.queue.events).toEqual([]);
    expect(h.metrics.counts.get('rejected:bare-line-ending')).toBe(1);
  });

  it('refuses an oversize message with 552 5.3.4 after reading it all', async () => {
    const { h, replies } = await send(`${'x'.repeat(900)}\r\n${'y'.repeat(200)}\r\n.\r\nNOOP\r\n`);
    expect(replies.slice(1)).toEqual([expect.stringMatching(/^552 5\.3\.4 /), '250 2.0.0 Ok']);
    expect(h.queue.bodies.size).toBe(0);
  });

  it('keeps a line over the 1000 octets of RFC 5321 §4.5.3.1.6 as received, up to SMTP_MAX_LINE_LENGTH', async () => {
    const h = createHarness({ settings: { maxMessageSize: 5000, maxLineLength: 2000 } });
    const line = `${'x'.repeat(1998)}\r\n`;
    const { replies } = await send(`${line}.\r\n`, h);
    expect(replies.slice(1)).toEqual([expect.stringMatching(/^250 2\.0\.0 /)]);
    expect([...h.queue.bodies.values()].map((body) => body.toString('latin1'))).toEqual([line]);
  });

  it('refuses a line over SMTP_MAX_LINE_LENGTH with 550 5.6.0', async () => {
    const h = createHarness({ settings: { maxMessageSize: 5000, maxLineLength: 2000 } });
    const { replies } = await send(`${'x'.repeat(1999)}\r\n.\r\n`, h);
    expect(replies.slice(1)).toEqual([expect.stringMatching(/^550 5\.6\.0 .*2001 octets/)]);
    expect(h.queue.bodies.size).toBe(0);
  });

  it('answers 451 4.3.0 when the message cannot be queued, and delivers nothing', async () => {
    const h = createHarness();
    h.queue.failPublish = true;
    const { replies } = await send('hi\r\n.\r\n', h);
    expect(replies.slice(1)).toEqual([expect.stringMatching(/^451 4\.3\.0 /)]);
    expect(h.queue.events).toEqual([]);
  });
});
