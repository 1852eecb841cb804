import { describe, expect, it } from 'vitest';
import { fieldParameter, headerFields, mimeStructure } from './mime-structure';

describe('mimeStructure', () => {
  it('reads the header fields in order, unfolded, and the message itself as its one part', () => {
    const { headers, parts } = mimeStructure('Subject: a\r\n folded\r\nX-Empty:\r\nnot a field\r\n\r\nbody\r\n');
    expect(headers).toEqual([
      { name: 'subject', value: 'a folded' },
      { name: 'x-empty', value: '' },
    ]);
    expect(parts).toEqual([{ contentType: 'text/plain', charset: undefined, transferEncoding: '7bit', attachment: false, body: 'body\r\n' }]);
  });

  it('walks nested multiparts (RFC 2046 §5.1.1), leaving out preamble and epilogue', () => {
    const raw = [
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      'preamble',
      '--outer',
      'Content-Type: multipart/alternative; boundary="in ner"',
      '',
      '--in ner',
      'Content-Type: text/plain; charset="ISO-8859-1"',
      'Content-Transfer-Encoding: Quoted-Printable',
      '',
      'text',
      '--in ner',
      'Content-Type: text/html',
      '',
      '<p>html</p>',
      '--in ner--',
      '--outer',
      'Content-Type: application/pdf; name=a.pdf',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0=',
      '--outer--',
      'epilogue',
    ].join('\r\n');
    expect(mimeStructure(raw).parts.map((p) => [p.contentType, p.charset, p.transferEncoding, p.attachment, p.body])).toEqual([
      ['text/plain', 'iso-8859-1', 'quoted-printable', false, 'text'],
      ['text/html', undefined, '7bit', false, '<p>html</p>'],
      ['application/pdf', undefined, 'base64', true, 'JVBERi0='],
    ]);
  });

  it('bounds a flood of parts', () => {
    const raw = `Content-Type: multipart/mixed; boundary=x\r\n\r\n${'--x\r\n\r\npart\r\n'.repeat(5000)}--x--\r\n`;
    expect(mimeStructure(raw).parts.length).toBe(100);
  });
});

describe('headerFields and fieldParameter', () => {
  it('reads parameters quoted or not, in any case', () => {
    expect(fieldParameter('text/plain; CHARSET="utf-8"; format=flowed', 'charset')).toBe('utf-8');
    expect(fieldParameter('text/plain; format=flowed', 'charset')).toBeUndefined();
    expect(headerFields('A: 1\nB: 2')).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
    ]);
  });
});
