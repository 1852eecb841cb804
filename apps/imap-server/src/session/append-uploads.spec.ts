// Tests of append-uploads.ts: streamed APPEND messages reach the object store in order, with backpressure, and are dropped when no command takes them.
import { describe, expect, it } from 'vitest';
import type { BodyReference } from '@mail/contracts';
import { ImapResponseError } from '@mail/imap';
import { AppendUploads } from './append-uploads';

/** An object store whose reader pulls chunks only when told to (`pull`), or all of them (`drain`). */
function slowStore() {
  const received: Buffer[] = [];
  const deleted: string[] = [];
  let iterator: AsyncIterator<Uint8Array> | undefined;
  let finish: ((ref: BodyReference) => void) | undefined;
  let fail: ((error: unknown) => void) | undefined;
  let uploads = 0;
  const store = {
    uploadMessageBody(chunks: AsyncIterable<Uint8Array>): Promise<BodyReference> {
      uploads++;
      iterator = chunks[Symbol.asyncIterator]();
      return new Promise((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
    },
    async deleteMessageBody(ref: BodyReference): Promise<void> {
      deleted.push(ref.key);
    },
  };
  /** Reads one chunk; at the end resolves the upload with a reference. */
  async function pull(): Promise<boolean> {
    try {
      const next = await (iterator as AsyncIterator<Uint8Array>).next();
      if (next.done) {
        finish?.({ bucket: 'b', key: 'k1', size: Buffer.concat(received).length, sha256: '0'.repeat(64) });
        return false;
      }
      received.push(Buffer.from(next.value));
      return true;
    } catch (error) {
      fail?.(error);
      return false;
    }
  }
  /** Reads every chunk. */
  async function drain(): Promise<void> {
    while (await pull());
  }
  return { store, received, deleted, pull, drain, uploads: () => uploads };
}

const literal = (size: number, binary = false) => ({ size, binary, placeholder: Buffer.alloc(0) });

describe('AppendUploads', () => {
  it('hands the octets to the object store in order and gives the stored reference to the command holding the placeholder', async () => {
    const { store, received, drain } = slowStore();
    const uploads = new AppendUploads(store);
    const message = literal(10);
    uploads.start(message, true);
    await uploads.write(Buffer.from('Subj'));
    await uploads.write(Buffer.from('ect: x'));
    await drain();
    expect(Buffer.concat(received).toString()).toBe('Subject: x');
    expect(await uploads.take(Buffer.alloc(0))).toBeUndefined(); // a literal kept in the command
    expect(await uploads.take(message.placeholder)).toMatchObject({ key: 'k1', size: 10 });
  });

  it('makes the writer wait while the object store lags (bounded memory)', async () => {
    const { store, pull } = slowStore();
    const uploads = new AppendUploads(store);
    uploads.start(literal(3 * 300 * 1024), true);
    await uploads.write(Buffer.alloc(300 * 1024, 1));
    let written = false;
    const second = uploads.write(Buffer.alloc(300 * 1024, 2)).then(() => (written = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBe(false);
    await pull();
    await second;
    expect(written).toBe(true);
  });

  it('refuses a NUL in a literal (RFC 9051 §4.3) and deletes what was stored, but takes it in a literal8', async () => {
    const { store, deleted, drain } = slowStore();
    const uploads = new AppendUploads(store);
    const text = literal(3);
    uploads.start(text, true);
    await uploads.write(Buffer.from('a\0b'));
    await drain();
    const refusal = await uploads.take(text.placeholder).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ImapResponseError);
    expect((refusal as ImapResponseError).message).toBe('BAD [CLIENTBUG] NUL in a literal');
    expect(deleted).toEqual(['k1']);

    const binary = slowStore();
    const uploads8 = new AppendUploads(binary.store);
    const octets = literal(3, true);
    uploads8.start(octets, true);
    await uploads8.write(Buffer.from('a\0b'));
    await binary.drain();
    expect(await uploads8.take(octets.placeholder)).toMatchObject({ key: 'k1' });
  });

  it('stops an upload no command took, and uploads nothing for a session not logged in', async () => {
    const { store, received, pull, uploads: count } = slowStore();
    const uploads = new AppendUploads(store);
    uploads.start(literal(8), true);
    await uploads.write(Buffer.from('abcd'));
    const discarded = uploads.discard();
    expect(await pull()).toBe(false); // the upload fails: the object store keeps nothing of it
    await discarded;
    expect(received).toEqual([]);

    const anonymous = new AppendUploads(store);
    const dropped = literal(4);
    anonymous.start(dropped, false);
    await anonymous.write(Buffer.from('abcd'));
    expect(count()).toBe(1);
    await anonymous.discard();
  });
});
