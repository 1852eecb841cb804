// Tests of command-parser.ts: the fixture file of good and bad lines, the
// limits, and a fuzz loop asserting the parser only ever fails with
// Pop3ResponseError.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_POP3_COMMAND_LINE, parsePop3Command } from './command-parser';
import { Pop3ResponseError } from './response';

interface CommandFixtures {
  readonly good: readonly { readonly line: string; readonly command: unknown }[];
  readonly bad: readonly { readonly line: string; readonly error: string }[];
}

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/command-lines.json', import.meta.url), 'utf8')) as CommandFixtures;

function parseError(line: string): Pop3ResponseError {
  try {
    parsePop3Command(line);
  } catch (error) {
    if (error instanceof Pop3ResponseError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(line)} to be rejected`);
}

describe('parsePop3Command', () => {
  it.each(fixtures.good)('parses $line', ({ line, command }) => {
    expect(parsePop3Command(line)).toEqual(command);
  });

  it.each(fixtures.bad)('rejects $line', ({ line, error }) => {
    const rejection = parseError(line);
    expect(rejection.text).toContain(error);
    expect(rejection.userFault).toBe(true);
    expect(rejection.toResponse()).toMatch(/^-ERR [^\r\n]+\r\n$/);
  });

  it('accepts a line of exactly 255 octets including CRLF and rejects 256', () => {
    // RFC 2449 §4.
    const atLimit = `PASS ${'x'.repeat(MAX_POP3_COMMAND_LINE - 2 - 5)}`;
    expect(Buffer.byteLength(`${atLimit}\r\n`)).toBe(255);
    expect(parsePop3Command(atLimit)).toEqual({ kind: 'PASS', password: atLimit.slice(5) });
    expect(parseError(`${atLimit}x`).text).toContain('too long');
  });

  it('counts the limit in UTF-8 octets, not characters', () => {
    const password = 'é'.repeat(125); // 250 octets
    expect(parseError(`PASS ${password}`).text).toContain('too long');
  });

  it('lets PASS exceed 40 characters and keeps its spaces', () => {
    const password = 'correct horse battery staple, and then some more words';
    expect(parsePop3Command(`PASS ${password}`)).toEqual({ kind: 'PASS', password });
  });

  it('accepts a 40-character argument and rejects 41', () => {
    // RFC 1939 §3.
    expect(parsePop3Command(`RETR ${'0'.repeat(39)}1`)).toEqual({ kind: 'RETR', msg: 1 });
    expect(parseError(`RETR ${'0'.repeat(40)}1`).text).toContain('RETR argument too long');
    expect(parseError(`TOP 1 ${'0'.repeat(41)}`).text).toContain('TOP argument too long');
  });

  it('lets USER and APOP names use the whole 255-octet line', () => {
    // RFC 2449 §4: user names such as e-mail addresses exceed 40 characters.
    const name = `${'a'.repeat(200)}@example.test`;
    expect(parsePop3Command(`USER ${name}`)).toEqual({ kind: 'USER', name });
    const digest = 'c4c9334bac560ecc979e58001b3e22fb';
    expect(parsePop3Command(`APOP ${name} ${digest}`)).toEqual({ kind: 'APOP', name, digest });
    expect(parseError(`USER ${'a'.repeat(250)}`).text).toContain('command line too long');
  });

  it('exempts only the AUTH initial response from the argument limit', () => {
    const initialResponse = Buffer.from(`\0user\0${'p'.repeat(100)}`).toString('base64');
    expect(parsePop3Command(`AUTH PLAIN ${initialResponse}`)).toEqual({
      kind: 'AUTH',
      mechanism: 'PLAIN',
      initialResponse,
    });
  });

  it('never echoes the client input in its error text', () => {
    const secretish = 'RETR 1<script>';
    expect(parseError(secretish).text).not.toContain('<script>');
  });

  it('fails only with Pop3ResponseError on random input', () => {
    let seed = 0x2545f491;
    const next = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      return seed;
    };
    const alphabet = ['RETR', 'TOP', 'USER', 'PASS', 'AUTH', 'LIST', ' ', ' ', '0', '1', '9', '-', '=', 'a', '\r', '\n', '\0', 'é', '.'];
    for (let i = 0; i < 5_000; i += 1) {
      let line = '';
      const parts = next() % 12;
      for (let j = 0; j < parts; j += 1) line += alphabet[next() % alphabet.length] ?? '';
      try {
        const command = parsePop3Command(line);
        expect(typeof command.kind).toBe('string');
      } catch (error) {
        expect(error, JSON.stringify(line)).toBeInstanceOf(Pop3ResponseError);
      }
    }
  });
});
