/** Unit tests of message-metadata.ts against the fixture messages in testdata/metadata. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyMetadata, headerSection, parseMetadata } from './message-metadata';

const fixture = (name: string) => readFileSync(new URL(`./testdata/metadata/${name}`, import.meta.url));
const budget = { timeoutMs: 2_000, maxHeaderBytes: 256 * 1024 };

describe('headerSection', () => {
  it('ends at the first empty line (RFC 5322 §2.1) and respects the cap', () => {
    const message = Buffer.from('A: 1\r\nB: 2\r\n\r\nbody\r\n\r\nmore');
    expect(headerSection(message, 1000).toString()).toBe('A: 1\r\nB: 2\r\n\r\n');
    expect(headerSection(message, 5).toString()).toBe('A: 1\r');
    expect(headerSection(Buffer.from('\r\nbody'), 1000).length).toBe(0);
  });
});

describe('parseMetadata', () => {
  it('extracts from, to, subject (decoded), date and message-id from the header only', async () => {
    const result = await parseMetadata(fixture('complete.eml'), budget);
    expect(result.outcome).toBe('parsed');
    expect(result.metadata).toEqual({
      from: '"Alice Example" <alice@crepes.fr>',
      to: 'bob@example.test, carol@example.test',
      subject: 'Crêpes pour tous',
      date: new Date('2026-11-20T09:00:00.000Z'),
      messageId: '<abc.123@crepes.fr>',
    });
  });

  it('stores null for a date it cannot read', async () => {
    const result = await parseMetadata(fixture('bad-date.eml'), budget);
    expect(result.metadata.subject).toBe('only a subject');
    expect(result.metadata.date).toBeNull();
  });

  it('gives empty metadata for a message without header section', async () => {
    const result = await parseMetadata(fixture('no-headers.eml'), budget);
    expect(result.metadata).toEqual(emptyMetadata);
  });

  it('removes NUL, which PostgreSQL text cannot store', async () => {
    const result = await parseMetadata(fixture('nul-bytes.eml'), budget);
    expect(result.metadata.subject).toBe('nulinside');
    expect(result.metadata.from).toBeNull();
  });

  it('falls back to empty metadata when the budget runs out', async () => {
    const huge = Buffer.from(`Subject: x\r\n${'X-Filler: y\r\n'.repeat(200_000)}\r\n`);
    const result = await parseMetadata(huge, { timeoutMs: 1, maxHeaderBytes: huge.length });
    expect(result.outcome).toBe('timed-out');
    expect(result.metadata).toEqual(emptyMetadata);
  });
});
