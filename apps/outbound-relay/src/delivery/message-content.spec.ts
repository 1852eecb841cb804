import { describe, expect, it } from 'vitest';
import type { BodyReference } from '@mail/contracts';
import type { OutboundQueued } from '@mail/contracts';
import { messageContent, prepareMessage, type QueuedContent } from './message-content';

const bodyText = 'Do you like ketchup?\r\n';
const body: BodyReference = { bucket: 'b', key: 'Q1', size: Buffer.byteLength(bodyText), sha256: '0'.repeat(64) };
const readBody = async function* () {
  yield Buffer.from(bodyText);
};
const received = { name: 'Received', value: 'from crepes.fr by mx.example.test' };

async function octets(message: QueuedContent, prefix?: Buffer): Promise<{ text: string; size: number }> {
  const content = messageContent(message, readBody, prefix);
  const chunks: Uint8Array[] = [];
  for await (const chunk of content.chunks()) chunks.push(chunk);
  return { text: Buffer.concat(chunks).toString(), size: content.size };
}

describe('messageContent', () => {
  it('prepends the trace fields to a body that has a header section', async () => {
    const { text, size } = await octets({ traceHeaders: [received], body: { ...body } });
    expect(text).toBe(`Received: from crepes.fr by mx.example.test\r\n${bodyText}`);
    expect(size).toBe(Buffer.byteLength(text));
  });

  it('separates the prepended fields from a body without a header section by an empty line (RFC 5322 §2.1)', async () => {
    const { text, size } = await octets({ traceHeaders: [received], body, bodyLacksHeaderSection: true }, Buffer.from('DKIM-Signature: v=1\r\n'));
    expect(text).toBe(`DKIM-Signature: v=1\r\nReceived: from crepes.fr by mx.example.test\r\n\r\n${bodyText}`);
    expect(size).toBe(Buffer.byteLength(text));
  });

  it('adds nothing when nothing is prepended', async () => {
    const { text } = await octets({ traceHeaders: [], body, bodyLacksHeaderSection: true });
    expect(text).toBe(bodyText);
  });

  it('adds the empty line after a signature alone too', async () => {
    const { text } = await octets({ traceHeaders: [], body, bodyLacksHeaderSection: true }, Buffer.from('DKIM-Signature: v=1\r\n'));
    expect(text).toBe(`DKIM-Signature: v=1\r\n\r\n${bodyText}`);
  });
});

describe('prepareMessage and long lines', () => {
  const queued = (stored: string): { message: OutboundQueued; read: () => AsyncGenerator<Uint8Array> } => ({
    message: {
      version: 1,
      queueId: 'Q2',
      queuedAt: new Date(0).toISOString(),
      envelope: { mailFrom: 'a@origin.test', recipients: [{ address: 'b@remote.test', route: 'remote' }], smtputf8: false, bodyType: '7BIT' },
      body: { ...body, size: Buffer.byteLength(stored) },
      traceHeaders: [received],
    },
    read: async function* () {
      yield Buffer.from(stored);
    },
  });
  const sent = async (stored: string) => {
    const { message, read } = queued(stored);
    const request = await prepareMessage(message, { readBody: read, log: { error: () => undefined } });
    const chunks: Uint8Array[] = [];
    for await (const chunk of request.content()) chunks.push(chunk);
    return { request, text: Buffer.concat(chunks).toString() };
  };

  it('sends a message without long lines exactly as stored', async () => {
    const stored = `Subject: fine\r\n\r\n${'x'.repeat(998)}\r\n${'y'.repeat(998)}\r\n`;
    const { request, text } = await sent(stored);
    expect(text).toBe(`Received: from crepes.fr by mx.example.test\r\n${stored}`);
    expect(request.size).toBe(Buffer.byteLength(text));
  });

  it('re-encodes a message with a long line and declares the size of what goes out (RFC 1870 §6)', async () => {
    const { request, text } = await sent(`Subject: long\r\n\r\n${'x'.repeat(5000)}\r\n`);
    expect(text.split('\r\n').every((line) => line.length <= 76)).toBe(true);
    expect(text).toContain('Content-Transfer-Encoding: quoted-printable\r\nMIME-Version: 1.0\r\n\r\n');
    expect(request.size).toBe(Buffer.byteLength(text));
  });
});
