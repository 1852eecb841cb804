/** Read a password given with --password-stdin: the first line of standard input. */
import type { Readable } from 'node:stream';

/** The first line, without its line ending; empty when stdin is empty. */
export async function readPasswordLine(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  const text = Buffer.concat(chunks).toString('utf8');
  return text.split(/\r?\n/)[0] ?? '';
}
