/** Unit tests of stored-pieces.ts: piece boundaries, the head, the hashes and the corruption checks. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CorruptBodyError, StoredPieces } from './stored-pieces';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function* chunksOf(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield new Uint8Array(data.subarray(offset, offset + size));
}

async function collect(pieces: StoredPieces): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const piece of pieces.pieces()) out.push(piece);
  return out;
}

const prefix = Buffer.from('Received: from x\r\nX-Spam-Status: No\r\n');
const body = Buffer.from(`Subject: hi\r\n\r\n${'crêpes et galettes\r\n'.repeat(200)}`);

describe('StoredPieces', () => {
  it('cuts prefix and body into pieces of the given size, whatever the chunking, and hashes the whole', async () => {
    for (const chunk of [1, 7, 100, 4096]) {
      const pieces = new StoredPieces(prefix, chunksOf(body, chunk), { size: body.length, sha256: sha256(body) }, 256);
      const out = await collect(pieces);
      const whole = Buffer.concat([prefix, body]);
      expect(Buffer.concat(out).equals(whole)).toBe(true);
      expect(out.slice(0, -1).every((piece) => piece.length === 256)).toBe(true);
      expect(out.at(-1)?.length).toBe(whole.length % 256 || 256);
      expect(pieces.sha256).toBe(sha256(whole));
      expect(pieces.size).toBe(whole.length);
    }
  });

  it('gives the head of the body without losing it from the pieces', async () => {
    const pieces = new StoredPieces(prefix, chunksOf(body, 10), { size: body.length, sha256: sha256(body) }, 1000);
    expect((await pieces.head(15)).toString()).toBe('Subject: hi\r\n\r\n');
    expect(Buffer.concat(await collect(pieces)).equals(Buffer.concat([prefix, body]))).toBe(true);
  });

  it('yields one empty piece for an empty message', async () => {
    const empty = Buffer.alloc(0);
    const pieces = new StoredPieces(empty, chunksOf(empty, 1), { size: 0, sha256: sha256(empty) }, 64);
    expect(await collect(pieces)).toEqual([Buffer.alloc(0)]);
  });

  it('throws CorruptBodyError at the end when the size or the hash differ', async () => {
    const short = new StoredPieces(prefix, chunksOf(body, 100), { size: body.length + 1, sha256: sha256(body) }, 256);
    await expect(collect(short)).rejects.toThrow(CorruptBodyError);
    const changed = new StoredPieces(prefix, chunksOf(body, 100), { size: body.length, sha256: sha256(Buffer.from('other')) }, 256);
    await expect(collect(changed)).rejects.toThrow(/sha256/);
  });

  it('stops the body reader when the consumer stops early', async () => {
    let stopped = false;
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield new Uint8Array(100);
      } finally {
        stopped = true;
      }
    }
    const pieces = new StoredPieces(prefix, body(), { size: 1e9, sha256: '' }, 256);
    for await (const piece of pieces.pieces()) {
      expect(piece.length).toBe(256);
      break;
    }
    expect(stopped).toBe(true);
  });
});
