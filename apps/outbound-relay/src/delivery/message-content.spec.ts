import { describe, expect, it } from 'vitest';
import type { BodyReference } from '@mail/contracts';
import { messageContent, type QueuedContent } from './message-content';

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
});
