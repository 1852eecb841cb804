/** Unit tests of read-password.ts: the first line of standard input. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPasswordLine } from './read-password';

describe('readPasswordLine', () => {
  it('takes the first line without its line ending', async () => {
    await expect(readPasswordLine(Readable.from(['s3c', 'ret\r\nnext\n']))).resolves.toBe('s3cret');
    await expect(readPasswordLine(Readable.from(['no newline']))).resolves.toBe('no newline');
    await expect(readPasswordLine(Readable.from([]))).resolves.toBe('');
  });
});
