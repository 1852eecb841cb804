import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeWith, encodeJson } from './codec';

const Schema = z.object({ version: z.literal(1), queueId: z.string().min(8) });

describe('decodeWith', () => {
  it('round-trips a valid payload', () => {
    expect(decodeWith(Schema, encodeJson({ version: 1, queueId: 'Q1234567' }))).toEqual({ ok: true, value: { version: 1, queueId: 'Q1234567' } });
  });

  it('names the offending field of an invalid payload', () => {
    const result = decodeWith(Schema, encodeJson({ version: 2, queueId: 'Q1234567' }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^payload failed validation: version: /);
  });

  it('refuses bytes that are not UTF-8 JSON', () => {
    expect(decodeWith(Schema, new Uint8Array([0xff, 0xfe]))).toMatchObject({ ok: false, reason: expect.stringMatching(/not UTF-8 JSON/) });
    expect(decodeWith(Schema, new TextEncoder().encode('{"version":'))).toMatchObject({ ok: false });
  });
});
