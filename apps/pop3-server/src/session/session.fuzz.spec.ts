// Property tests of session.ts (issue 10: "no exception escapes a session,
// no input makes a session hang"): the real Pop3Session — transport,
// framing, parser, gate and handlers — on a loopback connection, with
// mailbox-store, locks and limits replaced by the in-memory stand-ins of
// test-support (the bus is not what is fuzzed here). Arbitrary client
// bytes, cut into arbitrary writes, must give well-formed responses only,
// no contained failure ("internal server error"), no error log; once the
// input ends (QUIT and a half-close) the session must close within a
// deadline. In command mode every line gets exactly one status line.
// Run count and seed: a tenth of FUZZ_RUNS (at least 5), FUZZ_SEED
// (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { pino } from 'pino';
import { CommandLineSplitter, MAX_POP3_RESPONSE_LINE, Pop3ResponseError, parsePop3Command } from '@mail/pop3';
import { playClient, startLoopbackSocketPairs, type LoopbackSocketPairs } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness } from '../test-support/command-harness';
import { Pop3Session, type SessionDependencies } from './session';

const RUNS = Math.max(5, Math.ceil((fc.readConfigureGlobal().numRuns ?? 100) / 10));
const CLOSE_DEADLINE_MS = 20_000;
// Message bodies with no line starting with "+" or "-", so that status lines can be told from body lines
const BODIES = ['Subject: one\r\n\r\nhello\r\n', 'Subject: two\r\n\r\n.dot first\r\n..\r\n.\r\nend', ''];

let pairs: LoopbackSocketPairs;

beforeAll(async () => {
  pairs = await startLoopbackSocketPairs();
});

afterAll(async () => {
  await pairs.close();
});

interface SessionRun {
  readonly output: string;
  /** Errors the session logged. */
  readonly problems: string[];
  readonly closed: boolean;
}

/** Runs one session: writes `chunks` a turn of the event loop apart, then `trailer`, then half-closes. */
async function runSession(chunks: Buffer[], trailer: string, options: { maxErrors: number; apopEnabled: boolean }): Promise<SessionRun> {
  const [client, serverSide] = await pairs.next();
  const problems: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => void problems.push(line) });
  const harness = createHarness({ maxErrors: options.maxErrors, apopEnabled: options.apopEnabled });
  harness.mailbox.addUser('bob@example.test', 'hungry', BODIES);
  harness.mailbox.apopSecrets.set('bob@example.test', 'secret');
  const { mailbox, locks, metrics, throttle, loginDelay, settings } = harness.ctx;
  const deps: SessionDependencies = { mailbox, locks, metrics, throttle, loginDelay, settings, log, idleTimeoutMs: 60_000 };
  const session = new Pop3Session(serverSide, deps).run();
  const play = await playClient(client, session, chunks, trailer, CLOSE_DEADLINE_MS);
  return { output: play.output.toString('latin1'), problems, closed: play.closed };
}

/** The status lines ("+OK", "-ERR", and "+ " SASL challenges) of the output, after checking its framing. */
function statusLines(run: SessionRun): string[] {
  expect(run.closed).toBe(true);
  expect(run.problems).toEqual([]);
  expect(run.output === '' || run.output.endsWith('\r\n')).toBe(true);
  const lines = run.output.split('\r\n').slice(0, -1);
  const status = lines.filter((line) => /^(?:\+OK|-ERR|\+ |\+$)/.test(line));
  for (const line of status) expect(line.length + 2).toBeLessThanOrEqual(MAX_POP3_RESPONSE_LINE);
  expect(status[0]).toMatch(/^\+OK /);
  // "internal server error" is the dispatcher containing an unexpected failure: a bug
  expect(status.filter((line) => line.includes('internal server error'))).toEqual([]);
  return status;
}

const cut = (data: Buffer): fc.Arbitrary<Buffer[]> =>
  fc.uniqueArray(fc.nat(), { maxLength: 8 }).map((at) => {
    const points = [0, ...at.map((p) => p % (data.length + 1)).sort((a, b) => a - b), data.length];
    return points
      .slice(1)
      .map((end, i) => data.subarray(points[i], end))
      .filter((c) => c.length > 0);
  });

const commandPiece = fc.constantFrom(
  'USER bob@example.test',
  'PASS hungry',
  'PASS wrong',
  'USER nobody',
  'APOP bob@example.test 0123456789abcdef0123456789abcdef',
  'STAT',
  'LIST',
  'LIST 1',
  'LIST 9',
  'RETR 1',
  'RETR 2',
  'RETR 3',
  'RETR 0',
  'DELE 1',
  'DELE 2',
  'TOP 2 0',
  'TOP 1 5',
  'UIDL',
  'UIDL 2',
  'NOOP',
  'RSET',
  'CAPA',
  'STLS',
  'AUTH',
  'AUTH PLAIN',
  'AUTH PLAIN AGJvYkBleGFtcGxlLnRlc3QAaHVuZ3J5',
  'AUTH PLAIN =',
  '*',
  'AGJvYgBodW5ncnk=',
  'QUIT',
  'XTND XMIT',
  'GET / HTTP/1.1',
);
const textPiece = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', '.', 'x'.repeat(300), '\0', '\xff'));
const lineEnd = fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r', '');

const clientBytes = fc.array(fc.tuple(fc.oneof(commandPiece, textPiece), lineEnd), { maxLength: 25 }).map((parts) => Buffer.from(parts.map(([text, end]) => text + end).join(''), 'utf8'));

describe('Pop3Session on arbitrary input (fuzz)', () => {
  it('answers with well-formed responses only, fails nothing, logs no error, and closes once input ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        clientBytes.chain((data) => cut(data)),
        fc.constantFrom(3, 50),
        fc.boolean(),
        async (chunks, maxErrors, apopEnabled) => {
          statusLines(await runSession(chunks, '\r\nQUIT\r\n', { maxErrors, apopEnabled }));
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('gives every command line exactly one status line, until QUIT (RFC 1939 §3)', async () => {
    // AUTH is left out: its continuation lines are SASL responses, not commands
    const line = fc
      .oneof(
        commandPiece,
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
      )
      .map((text) => text.replace(/\n/g, ''))
      .filter((text) => !/^auth(?:\s|$)/i.test(text));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 20 }).chain((lines) => cut(Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'))),
        async (chunks) => {
          const splitter = new CommandLineSplitter();
          let framed = 0;
          for (const event of splitter.push(Buffer.concat([...chunks, Buffer.from('QUIT\r\n')]))) {
            framed++;
            if (event.kind === 'line' && isQuit(event.text)) break;
          }
          const status = statusLines(await runSession(chunks, 'QUIT\r\n', { maxErrors: 1_000, apopEnabled: false }));
          expect(status.length - 1).toBe(framed);
          expect(status.at(-1)).toMatch(/^\+OK /);
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);
});

function isQuit(text: string): boolean {
  try {
    return parsePop3Command(text).kind === 'QUIT';
  } catch (error) {
    if (error instanceof Pop3ResponseError) return false;
    throw error;
  }
}
