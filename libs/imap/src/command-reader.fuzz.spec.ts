// Property tests of command-reader.ts and command-parser.ts (RFC 9051 §4.3,
// §7.5; RFC 7888): arbitrary octets cut anywhere frame into the same events,
// only typed refusals ever come out, literals are exactly as long as their
// markers say, streaming APPEND messages out changes nothing but where
// their octets go, a session deciding each `+` (and sending it) changes
// nothing, and every framed command parses into a command or an
// ImapResponseError. Run count and seed: FUZZ_RUNS, FUZZ_SEED
// (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandReader, type CommandReaderEvent, type CommandReaderLimits } from './command-reader';
import { parseCommand } from './command-parser';
import { ImapResponseError } from './response-error';

const LIMITS = { maxLineLength: 200, maxLiteralSize: 64, maxAppendLiteralSize: 256, maxCommandSize: 400, maxAppendCommandSize: 600, maxDiscardedLiteral: 300 };
const WORDS = [
  'a1 ',
  'APPEND ',
  'LOGIN ',
  'FETCH ',
  'SEARCH ',
  'UID ',
  'INBOX ',
  '(',
  ')',
  '[',
  ']',
  '<',
  '>',
  '"',
  '\\',
  '{',
  '}',
  '+',
  '~',
  '*',
  '%',
  '$',
  ':',
  ',',
  '.',
  ' ',
  '\r\n',
  '\n',
  '\0',
  'é',
  'BODY[',
  'HEADER.FIELDS',
  'NOT ',
  'OR ',
  '1:*',
  '\\Seen',
];
const piece = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.nat({ max: 70 }).chain((n) =>
    fc
      .tuple(
        fc.constantFrom('{', '~{'),
        fc.constant(String(n)),
        fc.constantFrom('}', '+}'),
        fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('latin1')),
      )
      .map(([open, digits, close, data]) => `${open}${digits}${close}\r\n${data}`),
  ),
  fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('latin1')),
);
const input = fc.array(piece, { maxLength: 40 }).map((pieces) => Buffer.from(pieces.join(''), 'latin1'));
const cuts = fc.array(fc.nat({ max: 2000 }), { maxLength: 8 });

function feed(data: Buffer, at: readonly number[], limits: Partial<CommandReaderLimits> = LIMITS): CommandReaderEvent[] {
  const reader = new CommandReader(limits);
  const points = [...new Set(at.map((n) => n % (data.length + 1)))].sort((a, b) => a - b);
  const events: CommandReaderEvent[] = [];
  let from = 0;
  for (const point of [...points, data.length]) {
    events.push(...reader.push(data.subarray(from, point)));
    from = point;
  }
  return events;
}

const summary = (events: CommandReaderEvent[]): unknown =>
  events.map((e) => {
    switch (e.kind) {
      case 'command':
        return [e.command.lines.map(String), e.command.literals.map(String)];
      case 'continue':
        return ['+', e.tag];
      case 'refused':
        return ['!', e.error.message, e.error.closeConnection];
      default:
        return [e.kind];
    }
  });

describe('CommandReader (fuzz)', () => {
  it('frames the same events whatever the chunk cuts, with bounded commands and typed refusals', () => {
    fc.assert(
      fc.property(input, cuts, (data, at) => {
        const events = feed(data, at);
        expect(summary(events)).toEqual(summary(feed(data, [])));
        for (const event of events) {
          if (event.kind === 'refused') expect(event.error).toBeInstanceOf(ImapResponseError);
          if (event.kind !== 'command') continue;
          const { lines, literals } = event.command;
          expect(lines.length).toBe(literals.length + 1);
          lines.forEach((line) => expect(line.length).toBeLessThanOrEqual(LIMITS.maxLineLength));
          literals.forEach((literal, i) => {
            const marker = /\{([0-9]+)\+?\}$/.exec((lines[i] as Buffer).toString('latin1'));
            expect(Number(marker?.[1])).toBe(literal.length);
            expect(literal.length).toBeLessThanOrEqual(LIMITS.maxAppendLiteralSize);
          });
        }
      }),
    );
  });

  it('streams APPEND messages out as the octets the command would have held, in order', () => {
    fc.assert(
      fc.property(input, cuts, (data, at) => {
        const streamed = new Map<Buffer, Buffer[]>();
        let current: Buffer[] | undefined;
        const folded: CommandReaderEvent[] = [];
        for (const event of feed(data, at, { ...LIMITS, streamAppendLiteralsOver: 8 })) {
          if (event.kind === 'literal-start') {
            expect(event.size).toBeGreaterThan(8);
            streamed.set(event.placeholder, (current = []));
          } else if (event.kind === 'literal-data') current?.push(event.data);
          else if (event.kind !== 'command') folded.push(event);
          else {
            const literals = event.command.literals.map((literal) => (streamed.has(literal) ? Buffer.concat(streamed.get(literal) as Buffer[]) : literal));
            folded.push({ kind: 'command', command: { lines: event.command.lines, literals } });
          }
        }
        expect(summary(folded)).toEqual(summary(feed(data, [])));
      }),
    );
  });

  it('frames the same events when the session decides each continuation and sends every +', () => {
    fc.assert(
      fc.property(input, cuts, (data, at) => {
        const reader = new CommandReader(LIMITS, { decideContinuations: true });
        const events: CommandReaderEvent[] = [];
        // pieces of at most 100 octets, each answered before the next: a client waiting for its + sends no more than that
        const points = [...new Set([...at.map((n) => n % (data.length + 1)), ...Array.from({ length: Math.ceil(data.length / 100) }, (_, i) => i * 100)])].sort((a, b) => a - b);
        let from = 0;
        for (const point of [...points, data.length]) {
          let batch = reader.push(data.subarray(from, point));
          from = point;
          while (batch.length > 0) {
            events.push(...batch);
            batch = batch.at(-1)?.kind === 'continue' ? reader.continueLiteral() : [];
          }
        }
        expect(summary(events)).toEqual(summary(feed(data, [])));
      }),
    );
  });

  it('parses every framed command into a command or an ImapResponseError', () => {
    fc.assert(
      fc.property(input, fc.boolean(), (data, utf8) => {
        for (const event of feed(data, [])) {
          if (event.kind !== 'command') continue;
          try {
            const command = parseCommand(event.command, { utf8, delimiter: '/' });
            expect(typeof command.tag).toBe('string');
          } catch (error) {
            expect(error).toBeInstanceOf(ImapResponseError);
          }
        }
      }),
    );
  });
});
