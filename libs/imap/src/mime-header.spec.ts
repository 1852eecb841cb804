// Tests of mime-header.ts (RFC 2045 §5.1, RFC 2183, RFC 2231 §3, RFC 3282).
import { describe, expect, it } from 'vitest';
import { parameterValue, parseContentDisposition, parseContentType } from './mime-header';

describe('MIME header fields', () => {
  it('read type, subtype and parameters, skipping comments and unquoting', () => {
    expect(parseContentType('Text/HTML (a comment); charset="UTF-8"; format=flowed')).toEqual({
      type: 'text',
      subtype: 'html',
      parameters: [
        ['charset', 'UTF-8'],
        ['format', 'flowed'],
      ],
    });
    expect(parseContentType('multipart/mixed; boundary="a \\"b\\""')?.parameters).toEqual([['boundary', 'a "b"']]);
    expect(parseContentType('multipart/mixed; boundary=----=_Part_1')?.parameters).toEqual([['boundary', '----=_Part_1']]);
    expect(parseContentType('garbage')).toBeUndefined();
  });

  it('join RFC 2231 continuations', () => {
    const d = parseContentDisposition('attachment; filename*0="long "; filename*1="name.txt"; size=3');
    expect(d).toEqual({
      type: 'attachment',
      parameters: [
        ['filename', 'long name.txt'],
        ['size', '3'],
      ],
    });
    expect(parameterValue(d?.parameters ?? [], 'FILENAME')).toBe('long name.txt');
  });
});
