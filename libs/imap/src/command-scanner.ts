// The lexical layer of command parsing (RFC 9051 §4 and §9): a cursor over
// a framed command (its lines and literals) reading SP, atoms, numbers,
// quoted strings, literals, astrings, nstrings and parenthesized lists, with
// the nesting depth and the number of arguments bounded. Every failure is a
// BAD ImapResponseError.

import type { RawCommand } from './command-reader';
import { ImapResponseError, syntaxError } from './response-error';
import { isAstringChar, isAtomChar } from './wire-string';

/** Bounds on a command's structure. */
export interface CommandStructureLimits {
  /** Depth of nested parenthesized lists and search-key operators. Default 32. */
  readonly maxDepth: number;
  /** Tokens (atoms, numbers, strings) in one command. Default 4096. */
  readonly maxArguments: number;
}

export const DEFAULT_STRUCTURE_LIMITS: CommandStructureLimits = { maxDepth: 32, maxArguments: 4096 };

const SP = 0x20;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LITERAL_MARKER = /^~?\{[0-9]+\+?\}$/;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Cursor over one {@link RawCommand}. */
export class CommandScanner {
  readonly #lines: readonly Buffer[];
  readonly #literals: readonly Buffer[];
  readonly #limits: CommandStructureLimits;
  #segment = 0;
  #pos = 0;
  #depth = 0;
  #arguments = 0;

  constructor(command: RawCommand, limits: CommandStructureLimits = DEFAULT_STRUCTURE_LIMITS) {
    this.#lines = command.lines;
    this.#literals = command.literals;
    this.#limits = limits;
  }

  get #line(): Buffer {
    return this.#lines[this.#segment] ?? Buffer.alloc(0);
  }

  /** The next octet of the current line, or undefined at its end. */
  peek(): number | undefined {
    return this.#line[this.#pos];
  }

  /** True at the end of the whole command. */
  atEnd(): boolean {
    return this.#segment >= this.#lines.length - 1 && this.#pos >= this.#line.length;
  }

  /** True when the next octet is `octet`. */
  at(octet: number): boolean {
    return this.peek() === octet;
  }

  /** Consumes `octet` if it is next. */
  accept(octet: number): boolean {
    if (!this.at(octet)) return false;
    this.#pos++;
    return true;
  }

  expect(octet: number, what: string): void {
    if (!this.accept(octet)) throw syntaxError(`Expected ${what}`);
  }

  /** RFC 9051 §9: arguments are separated by exactly one SP. */
  sp(): void {
    this.expect(SP, 'a space');
  }

  /** Fails unless the whole command has been read. */
  end(): void {
    if (!this.atEnd()) throw syntaxError('Unexpected extra arguments');
  }

  /** Enters a nested structure (list or search operator), bounded by maxDepth. */
  enter(): void {
    if (++this.#depth > this.#limits.maxDepth) throw new ImapResponseError('BAD', `Nesting deeper than ${this.#limits.maxDepth}`, { code: 'LIMIT', userFault: true });
  }

  leave(): void {
    this.#depth--;
  }

  #count(): void {
    if (++this.#arguments > this.#limits.maxArguments) throw new ImapResponseError('BAD', `More than ${this.#limits.maxArguments} arguments`, { code: 'LIMIT', userFault: true });
  }

  /** Reads octets while `accept(octet)` holds (within the current line). */
  #run(accept: (octet: number) => boolean): string {
    const line = this.#line;
    const start = this.#pos;
    while (this.#pos < line.length && accept(line[this.#pos] as number)) this.#pos++;
    return line.toString('latin1', start, this.#pos);
  }

  /** RFC 9051 §9: atom = 1*ATOM-CHAR. */
  atom(what = 'an atom'): string {
    const text = this.#run(isAtomChar);
    if (text === '') throw syntaxError(`Expected ${what}`);
    this.#count();
    return text;
  }

  /** Octets that may form a bare token in a place with its own grammar (sequence sets, flags with "\", fetch items): ATOM-CHAR plus `extra`. */
  token(what: string, extra = ''): string {
    const text = this.#run((o) => isAtomChar(o) || extra.includes(String.fromCharCode(o)));
    if (text === '') throw syntaxError(`Expected ${what}`);
    this.#count();
    return text;
  }

  /** A run of the octets `accept` takes (for item names with their own grammar, e.g. `BODY.PEEK`, `1.2.MIME`). */
  word(what: string, accept: (octet: number) => boolean): string {
    const text = this.#run(accept);
    if (text === '') throw syntaxError(`Expected ${what}`);
    this.#count();
    return text;
  }

  /** RFC 9051 §9: number = 1*DIGIT, an unsigned 32-bit integer. */
  number(what = 'a number'): number {
    const text = this.#run((o) => o >= 0x30 && o <= 0x39);
    const value = Number(text);
    if (text === '' || text.length > 10 || value > 4_294_967_295) throw syntaxError(`Expected ${what}`);
    this.#count();
    return value;
  }

  /** RFC 9051 §9: number64 (mod-sequences, RFC 7162 §7: mod-sequence-value is 1*DIGIT up to 2^63-1). */
  number64(what = 'a number'): bigint {
    const text = this.#run((o) => o >= 0x30 && o <= 0x39);
    if (text === '' || text.length > 19) throw syntaxError(`Expected ${what}`);
    const value = BigInt(text);
    if (value > 9_223_372_036_854_775_807n) throw syntaxError(`Expected ${what}`);
    this.#count();
    return value;
  }

  /** RFC 9051 §9: string = quoted / literal; `binary` also allows literal8 (RFC 3516 §4.2). */
  string(what = 'a string', options: { binary?: boolean } = {}): Buffer {
    if (this.at(DQUOTE)) return this.#quoted();
    const rest = this.#line.toString('latin1', this.#pos);
    if (LITERAL_MARKER.test(rest) && this.#segment < this.#literals.length) return this.#literal(rest.startsWith('~'), options.binary === true);
    throw syntaxError(`Expected ${what}`);
  }

  /** True when a literal (of any form) starts here. */
  atLiteral(): boolean {
    return LITERAL_MARKER.test(this.#line.toString('latin1', this.#pos)) && this.#segment < this.#literals.length;
  }

  #quoted(): Buffer {
    const line = this.#line;
    const out: number[] = [];
    this.#pos++;
    for (;;) {
      const octet = line[this.#pos++];
      // RFC 9051 §9: quoted = DQUOTE *QUOTED-CHAR DQUOTE; no CR, LF or NUL inside
      if (octet === undefined) throw syntaxError('Unterminated quoted string');
      if (octet === DQUOTE) break;
      if (octet === BACKSLASH) {
        const escaped = line[this.#pos++];
        // RFC 9051 §9: only quoted-specials may be escaped
        if (escaped !== DQUOTE && escaped !== BACKSLASH) throw syntaxError('Invalid escape in quoted string');
        out.push(escaped);
      } else if (octet === 0) throw syntaxError('NUL in quoted string');
      else out.push(octet);
    }
    this.#count();
    return Buffer.from(out);
  }

  #literal(literal8: boolean, binaryAllowed: boolean): Buffer {
    if (literal8 && !binaryAllowed) throw syntaxError('literal8 is not allowed here');
    const value = this.#literals[this.#segment] as Buffer;
    // RFC 9051 §4.3: a literal is CHAR8 octets, which excludes NUL; only literal8 may carry it (RFC 3516 §4.2)
    if (!literal8 && value.includes(0)) throw syntaxError('NUL in a literal', undefined, 'CLIENTBUG');
    this.#segment++;
    this.#pos = 0;
    this.#count();
    return value;
  }

  /** RFC 9051 §9: astring = 1*ASTRING-CHAR / string. */
  astring(what = 'a string'): Buffer {
    if (this.at(DQUOTE) || this.atLiteral()) return this.string(what);
    const text = this.#run(isAstringChar);
    if (text === '') throw syntaxError(`Expected ${what}`);
    this.#count();
    return Buffer.from(text, 'latin1');
  }

  /** RFC 9051 §9: nstring = string / nil. */
  nstring(what = 'a string or NIL'): Buffer | null {
    if (this.acceptKeyword('NIL')) return null;
    return this.string(what);
  }

  /** Consumes `keyword` (case-insensitive) when it is next and ends there (not a prefix of a longer atom). */
  acceptKeyword(keyword: string): boolean {
    const line = this.#line;
    const end = this.#pos + keyword.length;
    if (end > line.length || line.toString('latin1', this.#pos, end).toUpperCase() !== keyword) return false;
    const after = line[end];
    // "BODY[" is the keyword BODY followed by a section; "BODYX" is another atom
    if (after !== undefined && isAtomChar(after) && after !== 0x5b) return false;
    this.#pos = end;
    this.#count();
    return true;
  }

  /** Reads a parenthesized list `( item *(SP item) )`, or `()` when `allowEmpty`. */
  list<T>(item: () => T, options: { allowEmpty?: boolean; what?: string } = {}): T[] {
    this.expect(0x28, options.what ?? '"("');
    this.enter();
    const items: T[] = [];
    if (!this.accept(0x29)) {
      for (;;) {
        items.push(item());
        if (this.accept(0x29)) break;
        this.sp();
      }
    } else if (options.allowEmpty !== true) throw syntaxError(`Empty list${options.what === undefined ? '' : ` for ${options.what}`}`);
    this.leave();
    return items;
  }
}

/** Decodes client text as UTF-8 (RFC 9051 §4.3: 8-bit strings are UTF-8). */
export function decodeUtf8(octets: Buffer, what: string): string {
  try {
    return STRICT_UTF8.decode(octets);
  } catch (cause) {
    throw new ImapResponseError('BAD', `${what} is not valid UTF-8`, { userFault: true, cause });
  }
}
