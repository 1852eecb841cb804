import { describe, expect, it } from 'vitest';
import { BodyNotFoundError, BodyReadTimeoutError, type BodyStore } from '@mail/bus';
import type { BodyReference } from '@mail/contracts';
import { readBodyPrefixUnlessGone } from './body-prefix';

const ref: BodyReference = { bucket: 'bodies', key: 'Q1', size: 12, sha256: '0'.repeat(64) };

function storeThatYields(...steps: (Buffer | Error)[]): BodyStore {
  return {
    async *read() {
      for (const step of steps) {
        if (step instanceof Error) throw step;
        yield step;
      }
    },
  } as unknown as BodyStore;
}

describe('readBodyPrefixUnlessGone', () => {
  it('reads the body', async () => {
    expect((await readBodyPrefixUnlessGone(storeThatYields(Buffer.from('Subject: hi\n')), ref))?.bytes.toString()).toBe('Subject: hi\n');
  });

  it('gives nothing for a body that is gone for good', async () => {
    expect(await readBodyPrefixUnlessGone(storeThatYields(new BodyNotFoundError('Q1', 'bodies')), ref)).toBeUndefined();
  });

  it('throws a temporary failure, so the message is classified again on redelivery rather than without its content', async () => {
    await expect(readBodyPrefixUnlessGone(storeThatYields(Buffer.from('Subj'), new BodyReadTimeoutError('Q1', 30_000)), ref)).rejects.toBeInstanceOf(BodyReadTimeoutError);
    await expect(readBodyPrefixUnlessGone(storeThatYields(new Error('stream not found')), ref)).rejects.toThrow('stream not found');
  });
});
