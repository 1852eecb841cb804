// Tests of reply-attachment.ts: a reply's JSON and attachment framed by the Mail-Attachment-Octets header, and replies whose header does not fit refused.
import { headers as createHeaders } from '@nats-io/nats-core';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_OCTETS_HEADER, encodeAttachedReply, splitAttachedReply } from './reply-attachment';

const json = new TextEncoder().encode('{"ok":true,"data":{}}');

describe('replies with an attachment', () => {
  it('puts the octets after the JSON and gets both back, every octet value intact', () => {
    const octets = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
    const { payload, headers } = encodeAttachedReply(json, octets);
    expect(headers.get(ATTACHMENT_OCTETS_HEADER)).toBe('512');
    const parts = splitAttachedReply(payload, headers, 1024);
    if (!parts.ok) throw new Error(parts.reason);
    expect(new TextDecoder().decode(parts.json)).toBe('{"ok":true,"data":{}}');
    expect(Buffer.from(parts.attachment ?? []).equals(Buffer.from(octets))).toBe(true);
  });

  it('carries an empty attachment as one', () => {
    const { payload, headers } = encodeAttachedReply(json, new Uint8Array());
    const parts = splitAttachedReply(payload, headers, 1024);
    expect(parts.ok && parts.attachment?.length === 0 && parts.json.length === json.length).toBe(true);
  });

  it('reads a reply without the header as JSON only, as every reply was before', () => {
    expect(splitAttachedReply(json, undefined, 1024)).toEqual({ ok: true, json, attachment: undefined });
    expect(splitAttachedReply(json, createHeaders(), undefined)).toEqual({ ok: true, json, attachment: undefined });
  });

  it('refuses a header that does not fit the payload, an attachment over the bound, and one the definition does not declare', () => {
    const { payload, headers } = encodeAttachedReply(json, new Uint8Array(100));
    const withHeader = (value: string) => {
      const other = createHeaders();
      other.set(ATTACHMENT_OCTETS_HEADER, value);
      return other;
    };
    for (const value of [String(payload.length + 1), '-1', '1e3', 'ten', '0x10']) {
      expect(splitAttachedReply(payload, withHeader(value), 1024)).toMatchObject({ ok: false, reason: expect.stringContaining('does not fit') });
    }
    expect(splitAttachedReply(payload, headers, 99)).toMatchObject({ ok: false, reason: expect.stringContaining('more than the 99') });
    expect(splitAttachedReply(payload, headers, undefined)).toMatchObject({ ok: false, reason: expect.stringContaining('declares none') });
  });
});
