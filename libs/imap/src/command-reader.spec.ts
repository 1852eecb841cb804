// Tests of command-reader.ts: lines, synchronizing and non-synchronizing
// literals, literal8, the limits and their refusals, the lines mode.
import { describe, expect, it } from 'vitest';
import { CommandReader, type CommandReaderEvent } from './command-reader';

const text = (events: CommandReaderEvent[]): unknown[] =>
  events.map((e) => {
    switch (e.kind) {
      case 'command':
        return { lines: e.command.lines.map(String), literals: e.command.literals.map(String) };
      case 'continue':
        return { continue: e.tag };
      case 'literal-start':
        return { stream: e.size, binary: e.binary, tag: e.tag };
      case 'literal-data':
        return { data: String(e.data) };
      case 'refused':
        return { refused: e.error.message, tag: e.error.tag, close: e.error.closeConnection };
    }
  });

describe('CommandReader', () => {
  it('frames pipelined lines, CRLF or bare LF', () => {
    const reader = new CommandReader();
    expect(text(reader.push(Buffer.from('a1 NOOP\r\na2 CAPABILITY\na3 LOG')))).toEqual([
      { lines: ['a1 NOOP'], literals: [] },
      { lines: ['a2 CAPABILITY'], literals: [] },
    ]);
    expect(text(reader.push(Buffer.from('OUT\r\n')))).toEqual([{ lines: ['a3 LOGOUT'], literals: [] }]);
  });

  it('asks for a continuation before a synchronizing literal and joins the command (RFC 9051 §7.5)', () => {
    const reader = new CommandReader();
    expect(text(reader.push(Buffer.from('a LOGIN {4}\r\n')))).toEqual([{ continue: 'a' }]);
    expect(text(reader.push(Buffer.from('fred {5}\r')))).toEqual([]);
    expect(text(reader.push(Buffer.from('\n')))).toEqual([{ continue: 'a' }]);
    expect(text(reader.push(Buffer.from('se\r\ncret\r\n')))).toEqual([{ lines: ['a LOGIN {4}', ' {5}', 'ret'], literals: ['fred', 'se\r\nc'] }]);
  });

  it('reads literal octets exactly, whatever they hold', () => {
    const reader = new CommandReader();
    const events = reader.push(Buffer.from('a LOGIN {4}\r\nfred {5}\r\nse\r\nc\r\n'));
    expect(text(events)).toEqual([{ continue: 'a' }, { continue: 'a' }, { lines: ['a LOGIN {4}', ' {5}', ''], literals: ['fred', 'se\r\nc'] }]);
  });

  it('does not ask for a continuation for {n+} (RFC 7888) and accepts literal8 ~{n}', () => {
    const reader = new CommandReader();
    expect(text(reader.push(Buffer.from('a APPEND INBOX ~{3+}\r\n\0\x01\x02\r\n')))).toEqual([{ lines: ['a APPEND INBOX ~{3+}', ''], literals: ['\0\x01\x02'] }]);
  });

  it('handles a zero-length literal', () => {
    const reader = new CommandReader();
    expect(text(reader.push(Buffer.from('a LOGIN {0+}\r\n x\r\n')))).toEqual([{ lines: ['a LOGIN {0+}', ' x'], literals: [''] }]);
  });

  it('refuses a synchronizing literal over the limit without asking for it; the connection goes on', () => {
    const reader = new CommandReader({ maxLiteralSize: 10 });
    expect(text(reader.push(Buffer.from('a LOGIN {11}\r\nb NOOP\r\n')))).toEqual([
      { refused: 'BAD [TOOBIG] Literal too large (limit 10 octets)', tag: 'a', close: false },
      { lines: ['b NOOP'], literals: [] },
    ]);
  });

  it('refuses an APPEND over its own bound with NO [TOOBIG] (RFC 7889)', () => {
    const reader = new CommandReader({ maxLiteralSize: 10, maxAppendLiteralSize: 20 });
    expect(text(reader.push(Buffer.from('a APPEND INBOX {15}\r\n')))).toEqual([{ continue: 'a' }]);
    const big = new CommandReader({ maxLiteralSize: 10, maxAppendLiteralSize: 20 });
    expect(text(big.push(Buffer.from('a APPEND INBOX {21}\r\n')))).toEqual([{ refused: 'NO [TOOBIG] Literal too large (limit 20 octets)', tag: 'a', close: false }]);
  });

  it('skips a non-synchronizing literal over the limit and the rest of its command (RFC 7888 §4)', () => {
    const reader = new CommandReader({ maxLiteralSize: 4 });
    const events = reader.push(Buffer.from('a LOGIN {6+}\r\nabcdef {2+}\r\nxy\r\nb NOOP\r\n'));
    expect(text(events)).toEqual([
      { refused: 'BAD [TOOBIG] Literal too large (limit 4 octets)', tag: 'a', close: false },
      { lines: ['b NOOP'], literals: [] },
    ]);
  });

  it('closes when a refused non-synchronizing literal is too large to skip', () => {
    const reader = new CommandReader({ maxLiteralSize: 4, maxDiscardedLiteral: 100 });
    const events = reader.push(Buffer.from('a LOGIN {101+}\r\nb NOOP\r\n'));
    expect(text(events)).toEqual([{ refused: 'BAD [TOOBIG] Literal too large (limit 4 octets)', tag: 'a', close: true }]);
    expect(reader.push(Buffer.from('c NOOP\r\n'))).toEqual([]);
  });

  it('applies the LITERAL- bound of 4096 to non-synchronizing literals only (RFC 7888 §4)', () => {
    const reader = new CommandReader({ maxNonSynchronizingLiteral: 4096 });
    expect(text(reader.push(Buffer.from('a APPEND INBOX {4097}\r\n')))).toEqual([{ continue: 'a' }]);
    const minus = new CommandReader({ maxNonSynchronizingLiteral: 4096 });
    expect(text(minus.push(Buffer.from(`a APPEND INBOX {4097+}\r\n${'x'.repeat(4097)}\r\n`)))).toEqual([
      { refused: 'BAD [TOOBIG] Non-synchronizing literal over 4096 octets', tag: 'a', close: false },
    ]);
  });

  it('bounds the whole command', () => {
    const reader = new CommandReader({ maxLiteralSize: 100, maxCommandSize: 50 });
    expect(text(reader.push(Buffer.from('a LOGIN {30+}\r\n' + 'x'.repeat(30) + ' {30}\r\n')))).toEqual([{ refused: 'BAD [TOOBIG] Literal too large (limit 100 octets)', tag: 'a', close: false }]);
  });

  it('refuses a line over the limit once it ends, keeping none of it, and reads on (as Dovecot does)', () => {
    const reader = new CommandReader({ maxLineLength: 20 });
    expect(text(reader.push(Buffer.from('tag1 SEARCH ' + 'x'.repeat(30))))).toEqual([]);
    expect(reader.buffered).toBe(0);
    expect(text(reader.push(Buffer.from('x'.repeat(100_000))))).toEqual([]);
    expect(text(reader.push(Buffer.from('\r\nb NOOP\r\n')))).toEqual([
      { refused: 'BAD [TOOBIG] Command line too long (limit 20 octets)', tag: 'tag1', close: false },
      { lines: ['b NOOP'], literals: [] },
    ]);
    // A line one octet over, in one piece
    expect(text(new CommandReader({ maxLineLength: 20 }).push(Buffer.from('c ' + 'y'.repeat(19) + '\r\nd NOOP\r\n')))).toEqual([
      { refused: 'BAD [TOOBIG] Command line too long (limit 20 octets)', tag: 'c', close: false },
      { lines: ['d NOOP'], literals: [] },
    ]);
  });

  it('throws away the non-synchronizing literal an over-long line announces, and the rest of its command (RFC 7888 §4)', () => {
    const reader = new CommandReader({ maxLineLength: 20 });
    const events = reader.push(Buffer.from('a LOGIN ' + 'x'.repeat(30) + ' {5+}\r\nb NOO {3+}\r\nxyz\r\nc NOOP\r\n'));
    expect(text(events)).toEqual([
      { refused: 'BAD [TOOBIG] Command line too long (limit 20 octets)', tag: 'a', close: false },
      { lines: ['c NOOP'], literals: [] },
    ]);
    // A line too long after a literal is refused under the command's tag
    const second = new CommandReader({ maxLineLength: 20 });
    expect(text(second.push(Buffer.from('d LOGIN {2+}\r\nab ' + 'z'.repeat(40) + '\r\n')))).toEqual([{ refused: 'BAD [TOOBIG] Command line too long (limit 20 octets)', tag: 'd', close: false }]);
  });

  it('tags a refusal only with a tag of the grammar (RFC 9051 §9), else leaves it untagged', () => {
    const reader = new CommandReader({ maxLiteralSize: 4 });
    expect(text(reader.push(Buffer.from('a{ LOGIN {9}\r\n+x LOGIN {9}\r\n(a LOGIN {9}\r\n\u00e9 LOGIN {9}\r\nok] LOGIN {9}\r\n')))).toEqual([
      { refused: 'BAD [TOOBIG] Literal too large (limit 4 octets)', tag: 'a', close: false },
      { refused: 'BAD [TOOBIG] Literal too large (limit 4 octets)', tag: undefined, close: false },
      { refused: 'BAD [TOOBIG] Literal too large (limit 4 octets)', tag: undefined, close: false },
      { refused: 'BAD [TOOBIG] Literal too large (limit 4 octets)', tag: undefined, close: false },
      { refused: 'BAD [TOOBIG] Literal too large (limit 4 octets)', tag: 'ok]', close: false },
    ]);
  });

  describe('streaming APPEND messages (streamAppendLiteralsOver)', () => {
    it('hands out a large APPEND literal as it arrives, after the continuation, and leaves its placeholder in the command', () => {
      const reader = new CommandReader({ streamAppendLiteralsOver: 4 });
      const start = reader.push(Buffer.from('a APPEND INBOX (\\Seen) {10}\r\n'));
      expect(text(start)).toEqual([{ continue: 'a' }, { stream: 10, binary: false, tag: 'a' }]);
      expect(text(reader.push(Buffer.from('Subj')))).toEqual([{ data: 'Subj' }]);
      const end = reader.push(Buffer.from('ect: x\r\nb NOOP\r\n'));
      expect(text(end)).toEqual([{ data: 'ect: x' }, { lines: ['a APPEND INBOX (\\Seen) {10}', ''], literals: [''] }, { lines: ['b NOOP'], literals: [] }]);
      const placeholder = start[1]?.kind === 'literal-start' ? start[1].placeholder : undefined;
      const command = end[1]?.kind === 'command' ? end[1].command : undefined;
      expect(command?.literals[0]).toBe(placeholder);
    });

    it('streams non-synchronizing literals and literal8 too, and tells which it is', () => {
      const reader = new CommandReader({ streamAppendLiteralsOver: 2 });
      expect(text(reader.push(Buffer.from('a APPEND INBOX ~{3+}\r\n\0\x01\x02\r\n')))).toEqual([
        { stream: 3, binary: true, tag: 'a' },
        { data: '\0\x01\x02' },
        { lines: ['a APPEND INBOX ~{3+}', ''], literals: [''] },
      ]);
    });

    it('keeps small APPEND literals and literals of other commands in the command', () => {
      const reader = new CommandReader({ streamAppendLiteralsOver: 4 });
      expect(text(reader.push(Buffer.from('a APPEND INBOX {4+}\r\nabcd\r\nb LOGIN {5+}\r\nfrede x\r\n')))).toEqual([
        { lines: ['a APPEND INBOX {4+}', ''], literals: ['abcd'] },
        { lines: ['b LOGIN {5+}', ' x'], literals: ['frede'] },
      ]);
    });

    it('still refuses a message over the APPEND bound before its continuation', () => {
      const reader = new CommandReader({ streamAppendLiteralsOver: 4, maxAppendLiteralSize: 20 });
      expect(text(reader.push(Buffer.from('a APPEND INBOX {21}\r\n')))).toEqual([{ refused: 'NO [TOOBIG] Literal too large (limit 20 octets)', tag: 'a', close: false }]);
    });

    it('reads and discards a non-synchronizing message over the bound without handing it out (RFC 7888 §4), within its own discard bound', () => {
      const reader = new CommandReader({ streamAppendLiteralsOver: 4, maxAppendLiteralSize: 20, maxDiscardedLiteral: 10, maxDiscardedAppendLiteral: 100 });
      expect(text(reader.push(Buffer.from(`a APPEND INBOX {30+}\r\n${'x'.repeat(30)}\r\nb NOOP\r\n`)))).toEqual([
        { refused: 'NO [TOOBIG] Literal too large (limit 20 octets)', tag: 'a', close: false },
        { lines: ['b NOOP'], literals: [] },
      ]);
      const other = new CommandReader({ maxLiteralSize: 4, maxDiscardedLiteral: 10, maxDiscardedAppendLiteral: 100 });
      expect(text(other.push(Buffer.from('a LOGIN {30+}\r\n')))).toEqual([{ refused: 'BAD [TOOBIG] Literal too large (limit 4 octets)', tag: 'a', close: true }]);
    });
  });

  it('in lines mode, reads continuation lines without literals (AUTHENTICATE, IDLE)', () => {
    const reader = new CommandReader();
    reader.mode = 'lines';
    expect(text(reader.push(Buffer.from('DONE {5}\r\n')))).toEqual([{ lines: ['DONE {5}'], literals: [] }]);
  });

  it('in lines mode, refuses a line over the limit without a tag: the line is no command (the session tags it)', () => {
    const reader = new CommandReader({ maxLineLength: 20 });
    reader.mode = 'lines';
    expect(text(reader.push(Buffer.from('AGJvYgBodW5ncnk' + 'A'.repeat(30) + ' {5+}\r\nDONE\r\n')))).toEqual([
      { refused: 'BAD [TOOBIG] Command line too long (limit 20 octets)', tag: undefined, close: false },
      { lines: ['DONE'], literals: [] },
    ]);
  });

  it('reports buffered input (STARTTLS must find none, RFC 9051 §6.2.1)', () => {
    const reader = new CommandReader();
    reader.push(Buffer.from('a STARTTLS\r\nb NO'));
    expect(reader.buffered).toBe(4);
  });

  describe('continuations the session decides (decideContinuations, RFC 9051 §2.2.1)', () => {
    const deciding = (limits = {}) => new CommandReader(limits, { decideContinuations: true });

    it('tells the command so far with the continue event, and reads the literal once the + was sent', () => {
      const reader = deciding();
      expect(text(reader.push(Buffer.from('a APPEND {5}\r\n')))).toEqual([{ continue: 'a' }]);
      expect(reader.continueLiteral()).toEqual([]);
      const [second] = reader.push(Buffer.from('Draft (\\Seen) {3}\r\n'));
      expect(second?.kind === 'continue' ? { lines: second.command.lines.map(String), literals: second.command.literals.map(String), size: second.size } : second).toEqual({
        lines: ['a APPEND {5}', ' (\\Seen) {3}'],
        literals: ['Draft'],
        size: 3,
      });
      expect(reader.push(Buffer.from('hey\r\n'))).toEqual([]);
      expect(text(reader.continueLiteral())).toEqual([{ lines: ['a APPEND {5}', ' (\\Seen) {3}', ''], literals: ['Draft', 'hey'] }]);
    });

    it('drops the command when the session refused it instead, and reads the next one', () => {
      const reader = deciding();
      expect(text(reader.push(Buffer.from('a APPEND INBOX {5}\r\n')))).toEqual([{ continue: 'a' }]);
      expect(reader.refuseLiteral()).toEqual([]);
      expect(reader.buffered).toBe(0);
      expect(text(reader.push(Buffer.from('b NOOP\r\n')))).toEqual([{ lines: ['b NOOP'], literals: [] }]);
    });

    it('holds what a client sends before the decision and reads it after: as the literal after the +, as commands after a refusal', () => {
      const accepted = deciding();
      expect(text(accepted.push(Buffer.from('a LOGIN {3}\r\nbob x\r\nb NOOP\r\n')))).toEqual([{ continue: 'a' }]);
      // the command's first line and the 15 octets held
      expect(accepted.buffered).toBe(26);
      expect(text(accepted.continueLiteral())).toEqual([
        { lines: ['a LOGIN {3}', ' x'], literals: ['bob'] },
        { lines: ['b NOOP'], literals: [] },
      ]);
      const refused = deciding();
      expect(text(refused.push(Buffer.from('a LOGIN {3}\r\nbob x\r\nb NOOP\r\n')))).toEqual([{ continue: 'a' }]);
      expect(text(refused.refuseLiteral())).toEqual([
        { lines: ['bob x'], literals: [] },
        { lines: ['b NOOP'], literals: [] },
      ]);
    });

    it('closes the connection when a client sends more than a line before the decision', () => {
      const reader = deciding({ maxLineLength: 20 });
      expect(text(reader.push(Buffer.from('a APPEND INBOX {100}\r\n' + 'x'.repeat(20))))).toEqual([{ continue: 'a' }]);
      expect(text(reader.push(Buffer.from('y')))).toEqual([{ refused: 'BYE Literal sent before the continuation request', tag: undefined, close: true }]);
      expect(reader.continueLiteral()).toEqual([]);
      expect(reader.push(Buffer.from('b NOOP\r\n'))).toEqual([]);
    });

    it('streams an accepted APPEND message once the + was sent, and asks nothing for non-synchronizing literals', () => {
      const reader = deciding({ streamAppendLiteralsOver: 2 });
      expect(text(reader.push(Buffer.from('a APPEND INBOX {4}\r\n')))).toEqual([{ continue: 'a' }]);
      expect(text(reader.continueLiteral())).toEqual([{ stream: 4, binary: false, tag: 'a' }]);
      expect(text(reader.push(Buffer.from('abcd\r\n')))).toEqual([{ data: 'abcd' }, { lines: ['a APPEND INBOX {4}', ''], literals: [''] }]);
      expect(text(reader.push(Buffer.from('b APPEND INBOX {1+}\r\nz\r\n')))).toEqual([{ lines: ['b APPEND INBOX {1+}', ''], literals: ['z'] }]);
    });

    it('still refuses an APPEND over its bound itself, before any continue', () => {
      const reader = deciding({ maxAppendLiteralSize: 10 });
      expect(text(reader.push(Buffer.from('a APPEND INBOX {11}\r\n')))).toEqual([{ refused: 'NO [TOOBIG] Literal too large (limit 10 octets)', tag: 'a', close: false }]);
    });
  });
});
