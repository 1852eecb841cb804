import { describe, expect, it } from 'vitest';
import { headerFields } from './header-fields';

describe('headerFields', () => {
  it('gives every field in order, repeated ones included, unfolded, and stops at the body', () => {
    const raw = Buffer.from(
      ['Received: from a.example (a.example [192.0.2.1])', '\tby b.example; Mon, 1 Jan 2024', 'Received: from c.example', 'SUBJECT: hi', 'not a field', '', 'Received: in the body'].join('\r\n'),
    );
    expect(headerFields(raw)).toEqual([
      { name: 'received', value: 'from a.example (a.example [192.0.2.1]) by b.example; Mon, 1 Jan 2024' },
      { name: 'received', value: 'from c.example' },
      { name: 'subject', value: 'hi' },
    ]);
  });

  it('keeps at most the fields asked for', () => {
    const raw = Buffer.from(`${Array.from({ length: 50 }, (_, i) => `X-${i}: ${i}`).join('\n')}\n\nbody`);
    expect(headerFields(raw, 10)).toHaveLength(10);
  });
});
