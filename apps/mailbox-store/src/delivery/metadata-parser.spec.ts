/**
 * metadata-parser.ts parses header sections up to IN_PROCESS_HEADER_MAX_OCTETS
 * on the event loop: that holds only if even hostile sections of that size
 * parse fast, in short stretches, since an in-process parse cannot be cut
 * off at its deadline. Timed in this thread's CPU time, not the wall clock,
 * so a loaded machine taking turns away does not count as the parser's doing.
 */
import { readFileSync } from 'node:fs';
import { measureEventLoopStretches, slowAtEveryTry } from '@mail/testing';
import { describe, expect, it } from 'vitest';
import { headerSection } from './message-metadata';
import { IN_PROCESS_HEADER_MAX_OCTETS, metadataParsePlace, parseMetadataUnderBudget } from './metadata-parser';

/** A quarter of the event-loop promise of docs/security.md (200 ms). */
const maxStretchMs = 50;
/** The whole parse of one section. */
const maxParseMs = 100;
const budget = { timeoutMs: 2_000, maxHeaderBytes: 256 * 1024 };

const fixture = (name: string) => readFileSync(new URL(`./testdata/metadata/${name}`, import.meta.url));

const header = 'From: Mallory <mallory@hostile.test>\r\nTo: <bob@example.test>\r\nSubject: hostile\r\nDate: Sun, 22 Nov 2026 01:00:00 +0000\r\nMessage-ID: <h@hostile.test>\r\n';
const fill = (unit: string, size: number): string => unit.repeat(Math.max(1, Math.ceil(size / unit.length)));
/** One header field folded (RFC 5322 §2.2.3) in lines of legal length, over about `octets`. */
const folded = (name: string, octets: number, unit = 'a'): string => `${name}: start\r\n${fill(`\t${unit.repeat(Math.floor(996 / unit.length))}\r\n`, octets)}`;

/** Header sections that cost mailparser the most per octet (the header shapes of spam-filter's small hostile messages). */
const shapes: Readonly<Record<string, (size: number) => string>> = {
  'header-fields': (size) => `${header}${fill('X-F: v\r\n', size)}`,
  'folded-header': (size) => `${header}${folded('X-Folded', size)}`,
  'long-header-line': (size) => `${header}X-Long: ${'a'.repeat(size)}\r\n`,
  'encoded-words-b': (size) => `${header.replace(/Subject: hostile\r\n/, '')}${folded('Subject', size, '=?utf-8?B?w6k=?= ')}`,
  'encoded-words-q': (size) => `${header.replace(/Subject: hostile\r\n/, '')}${folded('Subject', size, '=?iso-8859-1?Q?=E9=E9?= ')}`,
  'to-addresses': (size) => `To: ${fill('u@x.test,\r\n ', size)}z@x.test\r\n`,
  'from-addresses': (size) => `From: ${fill('u@x.test,\r\n ', size)}z@x.test\r\n`,
  'from-groups': (size) => `From: ${fill('g: a@b.test, d@e.test;,\r\n ', size)}z@x.test\r\n`,
  'from-comments': (size) => `From: ${folded('x', size, '(').replace(/^x: start/, '')}`,
  'rfc2231-sections': (size) => `${header}Content-Type: text/plain;\r\n${Array.from({ length: Math.ceil(size / 22) }, (_, n) => ` name*${n}*=utf-8''%C3%A9`).join(';\r\n')}\r\n`,
  'parameter-comments': (size) => `${header}Content-Type: text/plain; ${folded('x', size, '(').replace(/^x: start/, '')}`,
  'nul-octets': (size) => `${header}X-Nul: ${fill('a\0', size)}\r\n`,
};

/** Each shape cut to `size` octets with the empty line that ends a header section (RFC 5322 §2.1), so the whole is the section. */
function hostileSections(size: number): { name: string; message: Buffer }[] {
  return Object.entries(shapes).map(([name, make]) => ({ name, message: Buffer.concat([Buffer.from(make(size), 'latin1').subarray(0, size - 4), Buffer.from('\r\n\r\nbody\r\n')]) }));
}

describe('metadataParsePlace', () => {
  it('parses a header section at the bound on the event loop, and a larger one in the worker', () => {
    expect(metadataParsePlace(IN_PROCESS_HEADER_MAX_OCTETS)).toBe('in-process');
    expect(metadataParsePlace(IN_PROCESS_HEADER_MAX_OCTETS + 1)).toBe('worker');
    for (const { name, message } of hostileSections(IN_PROCESS_HEADER_MAX_OCTETS)) {
      expect(headerSection(message, budget.maxHeaderBytes).length, name).toBe(IN_PROCESS_HEADER_MAX_OCTETS);
    }
  });
});

describe('parseMetadataUnderBudget in-process', () => {
  it('extracts the metadata of a small message as the worker does', async () => {
    const result = await parseMetadataUnderBudget(fixture('complete.eml'), budget);
    expect(result).toEqual({
      outcome: 'parsed',
      metadata: {
        from: '"Alice Example" <alice@crepes.fr>',
        to: 'bob@example.test, carol@example.test',
        subject: 'Crêpes pour tous',
        date: new Date('2026-11-20T09:00:00.000Z'),
        messageId: '<abc.123@crepes.fr>',
      },
    });
  });

  it('parses every hostile section of the bound quickly, yielding often (at one of three tries)', async () => {
    await parseMetadataUnderBudget(Buffer.from('From: a@b.test\r\nSubject: warm-up\r\n\r\nhello\r\n'), budget);
    const slow = await slowAtEveryTry(hostileSections(IN_PROCESS_HEADER_MAX_OCTETS), ({ message }) => measureEventLoopStretches(() => parseMetadataUnderBudget(message, budget)), {
      maxCpuMs: maxParseMs,
      maxStretchMs,
    });
    expect(slow).toEqual([]);
  });
});
