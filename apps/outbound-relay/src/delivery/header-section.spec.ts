import { describe, expect, it } from 'vitest';
import { fromDomain, headerValue, readHeaderSection } from './header-section';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

describe('readHeaderSection', () => {
  it('stops at the empty line, across chunk boundaries, keeping the last CRLF', async () => {
    const head = await readHeaderSection(chunks('From: a@x.test\r\nSubj', 'ect: hi\r\n', '\r\nbody\r\n'));
    expect(head.toString()).toBe('From: a@x.test\r\nSubject: hi\r\n');
  });

  it('returns everything (cut at a line end) when there is no body or the header is too long', async () => {
    expect((await readHeaderSection(chunks('From: a@x.test\r\n'))).toString()).toBe('From: a@x.test\r\n');
    expect((await readHeaderSection(chunks('A: 1\r\nB: 2\r\nC: 3\r\n'), 8)).toString()).toBe('A: 1\r\n');
  });

  it('is empty for a message that starts with the empty line', async () => {
    expect((await readHeaderSection(chunks('\r\nbody'))).length).toBe(0);
  });
});

describe('fromDomain', () => {
  it('reads the domain from a display-name form, folded', () => {
    expect(fromDomain(Buffer.from('Subject: x\r\nFrom: "Doe, Jane"\r\n <Jane@Example.TEST>\r\n'))).toBe('example.test');
  });

  it('reads a bare address and gives undefined without From', () => {
    expect(fromDomain(Buffer.from('from: bob@mail.test\r\n'))).toBe('mail.test');
    expect(fromDomain(Buffer.from('To: bob@mail.test\r\n'))).toBeUndefined();
    expect(headerValue(Buffer.from('X-A: 1\r\n'), 'x-a')).toBe('1');
  });
});
