/** Unit tests of stored-message.ts: the exact bytes kept for a message. */
import { describe, expect, it } from 'vitest';
import { headerLines, prependedFields, storedPrefix } from './stored-message';

const verdict = {
  action: 'deliver' as const,
  score: 1.5,
  reasons: [],
  headers: [
    { name: 'X-Spam-Status', value: 'No, score=1.5' },
    { name: 'X-Spam-Score', value: '1.5' },
  ],
  checkedAt: '2026-11-21T10:00:00.000Z',
};
const traceHeaders = [{ name: 'Received', value: 'from crepes.fr (127.0.0.1)\r\n\tby mx.example.test; Sat, 21 Nov 2026 10:00:00 +0000' }];

describe('stored message bytes', () => {
  it('puts trace fields first, then the verdict fields', () => {
    expect(prependedFields({ traceHeaders, verdict }).map((f) => f.name)).toEqual(['Received', 'X-Spam-Status', 'X-Spam-Score']);
  });

  it('writes each field as "Name: value" CRLF, keeping folded values', () => {
    expect(headerLines(prependedFields({ traceHeaders, verdict })).toString()).toBe(
      'Received: from crepes.fr (127.0.0.1)\r\n\tby mx.example.test; Sat, 21 Nov 2026 10:00:00 +0000\r\n' + 'X-Spam-Status: No, score=1.5\r\nX-Spam-Score: 1.5\r\n',
    );
  });
});

describe('storedPrefix', () => {
  const event = {
    traceHeaders: [{ name: 'Received', value: 'from crepes.fr' }],
    verdict: { action: 'deliver' as const, score: 0, reasons: [], headers: [{ name: 'X-Spam-Status', value: 'No' }], checkedAt: '2026-11-21T10:00:00.000Z' },
  };

  it('is the prepended fields when the body has its own header section', () => {
    expect(storedPrefix(event).toString()).toBe('Received: from crepes.fr\r\nX-Spam-Status: No\r\n');
  });

  it('ends the header section when the body has none, so its text stays body', () => {
    expect(storedPrefix({ ...event, bodyLacksHeaderSection: true }).toString()).toBe('Received: from crepes.fr\r\nX-Spam-Status: No\r\n\r\n');
  });
});
