// Property tests of session.ts (issue 18: "every bad input gets a clear
// protocol error and the service keeps serving"): the real ImapSession —
// transport, CommandReader, parser, state gate, handlers — on a loopback
// connection, with mailbox-store replaced by the in-memory one of
// test-support (the bus is not what is fuzzed here). Client bytes, cut into
// arbitrary writes, must give well-formed responses only
// (test-support/response-grammar.ts), never NO [SERVERBUG] or
// [UNAVAILABLE] (a failure the session did not turn into the client's
// error, or a request the contract refuses), no log at warn or above, no
// APPEND message left in the object store, and the session must close
// once the input ends. With commands framed as a client frames them,
// every tagged command gets exactly one tagged answer, in order, unless a
// BYE ended the session first.
// Run count and seed: a quarter of FUZZ_RUNS (at least 5), FUZZ_SEED
// (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { pino } from 'pino';
import { playClient, startLoopbackSocketPairs, type LoopbackSocketPairs } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noMetrics } from '../metrics';
import { InMemoryMailboxStore } from '../test-support/in-memory-mailbox-store';
import { readResponses, type ServerResponse } from '../test-support/response-grammar';
import { NoticeChangeFeed } from './mailbox-change-feed';
import { ImapSession, type SessionDependencies } from './session';

const RUNS = Math.max(5, Math.ceil((fc.readConfigureGlobal().numRuns ?? 100) / 4));
const CLOSE_DEADLINE_MS = 20_000;
/** Whole sessions on a loaded machine: generous. */
const PROPERTY_TIMEOUT_MS = 120_000;
const USER = 'bob@example.test';
const PASSWORD = 'hungry';
const MESSAGES = [
  'Subject: one\r\nFrom: a@example.test\r\n\r\nhello\r\n',
  'Subject: two\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\npart (one)\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\n{5}\r\n--b--\r\n',
  'Subject: =?UTF-8?B?Y2Fmw6k=?= "quoted" \\ (paren\r\n\r\n',
];

let pairs: LoopbackSocketPairs;

beforeAll(async () => {
  pairs = await startLoopbackSocketPairs();
});

afterAll(async () => {
  await pairs.close();
});

interface SessionRun {
  readonly input: Buffer;
  readonly output: Buffer;
  /** What the session logged at warn or above. */
  readonly problems: string[];
  readonly closed: boolean;
  readonly store: InMemoryMailboxStore;
}

interface SessionOptions {
  readonly maxErrors: number;
  readonly allowPlaintextAuth: boolean;
}

/** Runs one session: writes `chunks` a turn of the event loop apart, then `trailer`, then half-closes. */
async function runSession(chunks: Buffer[], trailer: string, options: SessionOptions): Promise<SessionRun> {
  const [client, serverSide] = await pairs.next();
  const problems: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void problems.push(line) });
  const store = new InMemoryMailboxStore();
  store.addUser(USER, PASSWORD, MESSAGES);
  const deps: SessionDependencies = {
    store,
    throttle: { check: async () => ({ blocked: false }), recordFailure: async () => undefined, recordSuccess: async () => undefined },
    metrics: noMetrics,
    changes: new NoticeChangeFeed(),
    settings: {
      hostname: 'imap.example.test',
      tls: undefined,
      allowPlaintextAuth: options.allowPlaintextAuth,
      maxErrors: options.maxErrors,
      idleTimeoutMs: 60_000,
      failureReplyDelayMs: 0,
      blockedReplyDelayMs: 0,
    },
    log,
    loginTimeoutMs: 60_000,
  };
  const session = new ImapSession(serverSide, deps).run();
  const play = await playClient(client, session, chunks, trailer, CLOSE_DEADLINE_MS);
  return { input: Buffer.concat([...chunks, Buffer.from(trailer, 'latin1')]), output: play.output, problems: [...problems, ...store.invalidRequests], closed: play.closed, store };
}

/** The checks every session must pass; returns its responses. */
function checkSession(run: SessionRun): ServerResponse[] {
  expect(run.closed).toBe(true);
  expect(run.problems).toEqual([]);
  expect(run.store.storedBodies).toBe(0);
  const responses = readResponses(run.output);
  // RFC 9051 §7.1.1: the greeting
  expect(responses[0]).toMatchObject({ kind: 'untagged', status: 'OK' });
  // The server's own failures (RFC 5530 SERVERBUG, UNAVAILABLE): the in-memory store is always there
  expect(responses.filter((r) => /^(?:\S+|\*) (?:NO|BAD|BYE) \[(?:SERVERBUG|UNAVAILABLE)\]/.test(r.text) && !r.text.includes('shutting down'))).toEqual([]);
  // A tag is the client's: the first word of a line it sent
  const input = run.input.toString('latin1');
  for (const response of responses) if (response.kind === 'tagged') expect(input.startsWith(`${response.tag}`) || input.includes(`\n${response.tag}`), `tag ${response.tag} was sent`).toBe(true);
  return responses;
}

/** Cuts `data` at arbitrary points. */
const cut = (data: Buffer): fc.Arbitrary<Buffer[]> =>
  fc.uniqueArray(fc.nat(), { maxLength: 8 }).map((at) => {
    const points = [0, ...at.map((p) => p % (data.length + 1)).sort((a, b) => a - b), data.length];
    return points
      .slice(1)
      .map((end, i) => data.subarray(points[i], end))
      .filter((c) => c.length > 0);
  });

const plain = (text: string): string => Buffer.from(`\0${USER}\0${text}`).toString('base64');

/** Commands without literals, valid in some state or not at all (RFC 9051 §6). */
const COMMANDS = [
  'CAPABILITY',
  'NOOP',
  'CHECK',
  `LOGIN ${USER} ${PASSWORD}`,
  `LOGIN "${USER}" "${PASSWORD}"`,
  `LOGIN ${USER} wrong`,
  `AUTHENTICATE PLAIN ${plain(PASSWORD)}`,
  `AUTHENTICATE PLAIN ${plain('wrong')}`,
  'AUTHENTICATE PLAIN =',
  'AUTHENTICATE PLAIN !!!',
  'AUTHENTICATE XOAUTH2 abc',
  'STARTTLS',
  'ENABLE IMAP4rev2',
  'ENABLE CONDSTORE QRESYNC',
  'ENABLE UTF8=ACCEPT X-UNKNOWN',
  'NAMESPACE',
  'ID NIL',
  'ID ("name" "fuzz" "version" "1")',
  'LIST "" *',
  'LIST "" %',
  'LIST (SPECIAL-USE SUBSCRIBED) "" (INBOX "*") RETURN (CHILDREN STATUS (MESSAGES UNSEEN SIZE))',
  'LSUB "" *',
  'STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE HIGHESTMODSEQ)',
  'STATUS Nowhere (MESSAGES)',
  'SELECT INBOX',
  'SELECT inbox (CONDSTORE)',
  'SELECT INBOX (QRESYNC (100 1 1:5))',
  'EXAMINE Junk',
  'SELECT Nowhere',
  'FETCH 1:* (FLAGS UID RFC822.SIZE INTERNALDATE)',
  'FETCH 1 (ENVELOPE BODYSTRUCTURE BODY)',
  'FETCH 2 (BODY[] BODY[1]<0.4> BODY.PEEK[2.HEADER] BODY[HEADER.FIELDS (Subject From)])',
  'FETCH 3 (BODY.PEEK[TEXT]<2.100> RFC822.HEADER BINARY.PEEK[1] BINARY.SIZE[1])',
  'FETCH * FULL',
  'UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)',
  'FETCH 1:* (MODSEQ) (CHANGEDSINCE 2)',
  'STORE 1 +FLAGS (\\Deleted)',
  'STORE 1:* -FLAGS.SILENT (\\Seen)',
  'UID STORE 2 FLAGS (\\Flagged work $Junk)',
  'STORE 1 (UNCHANGEDSINCE 1) +FLAGS (x)',
  'STORE 1 +FLAGS (\\Unknown)',
  'SEARCH ALL',
  'SEARCH UNSEEN SUBJECT hello OR FROM a TO b',
  'UID SEARCH RETURN (MIN MAX COUNT ALL) 1:*',
  'SEARCH MODSEQ 1',
  'SEARCH CHARSET UTF-8 TEXT "caf\u00e9"',
  'SEARCH CHARSET KOI8-R ALL',
  'SEARCH BEFORE 1-Jan-2000 LARGER 10 NOT DELETED',
  'EXPUNGE',
  'UID EXPUNGE 1:*',
  'COPY 1:* Junk',
  'MOVE 1 Trash',
  'UID MOVE 1:* INBOX',
  'COPY 1 Nowhere',
  'CLOSE',
  'UNSELECT',
  'CREATE Archive',
  'CREATE a/b/c/',
  'CREATE Foo (USE (\\Archive))',
  'CREATE Bar (USE (\\Nonsense))',
  'DELETE Archive',
  'DELETE INBOX',
  'RENAME Archive Old',
  'RENAME INBOX Saved',
  'SUBSCRIBE Archive',
  'UNSUBSCRIBE Archive',
  'GETQUOTA ""',
  'GETQUOTAROOT INBOX',
  'SETQUOTA "" (STORAGE 10)',
  'XYZZY',
  'FETCH',
  'FETCH 1',
  'UID',
  'UID NOOP',
  'LOGIN',
  'SELECT',
  'SELECT "unterminated',
  'SELECT &Jjo-',
  'SELECT &&&-',
  'FETCH 1 BODY[1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28.29.30.31.32.33.34.35.36.37.38.39.40.41.42.43.44.45.46.47.48.49.50.51.52.53.54.55.56.57.58.59.60.61.62.63.64.65.66]',
];

/** Lines meant to be hostile: deep nesting, huge sequence sets, octets the grammar forbids. */
const HOSTILE = [
  `SEARCH ${'('.repeat(40)}ALL${')'.repeat(40)}`,
  `SEARCH ${'NOT '.repeat(200)}ALL`,
  `SEARCH ${'OR '.repeat(100)}${'ALL '.repeat(101)}`.trim(),
  `FETCH 1 ${'('.repeat(1000)}`,
  `SEARCH ${'FROM a '.repeat(150)}`.trim(),
  `SEARCH HEADER "X:Y" z LARGER 9223372036854775807 MODSEQ 9223372036854775807 KEYWORD ${'k'.repeat(101)}`,
  `SEARCH SUBJECT "${'s'.repeat(1001)}"`,
  `ID ${'('.repeat(100)}${')'.repeat(100)}`,
  `STORE 1 FLAGS ${'('.repeat(50)}\\Seen${')'.repeat(50)}`,
  `FETCH ${Array.from({ length: 9000 }, (_, i) => i + 1).join(',')} FLAGS`,
  `UID FETCH ${Array.from({ length: 3000 }, (_, i) => `${2 * i + 1}:${2 * i + 1}`).join(',')} (UID)`,
  `UID STORE ${Array.from({ length: 2500 }, (_, i) => 3 * i + 1).join(',')} +FLAGS (x)`,
  'FETCH 1:4294967295 FLAGS',
  'FETCH 4294967296 FLAGS',
  'UID FETCH 99999999999999999999:* FLAGS',
  'FETCH 0 FLAGS',
  'FETCH *:* FLAGS',
  'FETCH 1,,2 FLAGS',
  'SELECT INBOX\u0000',
  'LOGIN \u0000 \u0000',
  'SELECT \u00ff\u00fe',
  'SELECT "\u00e9t\u00e9"',
  'CREATE "\u00e9t\u00e9/\u0001"',
  'SEARCH TEXT "\u00ff"',
  'NOOP \u0007\u001b[2J',
  'GET / HTTP/1.1',
  'a'.repeat(70_000),
];

const tags = fc.constantFrom('a1', 'A002', 'tag', '1', 'x.y', '+', '*', '(', ']', '{1}', 'a{', 'DONE', '\u00e9', '');
const commandText = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...COMMANDS) }, { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) });

/** A literal of `octets`: synchronizing, non-synchronizing (RFC 7888) or literal8 (RFC 3516), its size right or wrong. */
const literal = fc
  .record({
    octets: fc.oneof(fc.constantFrom('INBOX', USER, PASSWORD, MESSAGES[0] as string, 'x'.repeat(70_000), 'a\u0000b', ''), fc.string({ unit: 'binary', maxLength: 40 })),
    form: fc.constantFrom('{n}', '{n+}', '~{n}', '~{n+}'),
    sizeDelta: fc.constantFrom(0, 0, 0, -1, 1, 100, 70_000, 1e9, 1e20),
  })
  .map(({ octets, form, sizeDelta }) => {
    const size = Buffer.byteLength(octets, 'latin1') + sizeDelta;
    return { marker: form.replace('n', size >= 1e15 ? '99999999999999999999' : String(Math.max(0, size))), octets };
  });
const literalCommand = fc
  .tuple(
    fc.constantFrom('LOGIN', 'SELECT', 'APPEND Drafts', 'APPEND INBOX (\\Seen) "01-Jan-2024 10:00:00 +0000"', 'SEARCH TEXT', 'CREATE', 'AUTHENTICATE PLAIN', 'ID ("x"'),
    literal,
    fc.constantFrom('', ' ', ' {3}', ')', ' "x"'),
  )
  .map(([verb, lit, rest]) => `${verb} ${lit.marker}\r\n${lit.octets}${rest}`);
const junk = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom('', 'DONE', '*', '+', '\u0000', '\u00ff', '{5}', '{5+}', '~{3}', ')'),
);
const lineEnd = fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r', '');

/** A client's bytes: tagged commands, literals, junk, line ends right or wrong. */
const clientBytes = fc
  .array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.tuple(tags, fc.oneof(commandText, literalCommand)).map(([t, c]) => `${t} ${c}`) }, { weight: 2, arbitrary: junk }), lineEnd), { maxLength: 20 })
  .map((parts) => Buffer.from(parts.map(([text, end]) => text + end).join(''), 'latin1'));

const sessionOptions = fc.record({ maxErrors: fc.constantFrom(3, 1000), allowPlaintextAuth: fc.boolean() });

/** One client step framed as a client frames it: its bytes and the tag that must get exactly one answer (none: no answer is owed). */
interface Step {
  readonly bytes: string;
  readonly tag?: string;
}

/** Steps whose end a client knows: a line, a command with its literals, IDLE and DONE, AUTHENTICATE and its response. */
const framedStep = (n: number): fc.Arbitrary<Step> => {
  const tag = `t-${n}`;
  // The literals a client sends without waiting: within the reader's bounds, so `+` comes (or needs not: LITERAL+)
  const goodLiteral = fc
    .tuple(
      fc.constantFrom('LOGIN', 'SELECT', 'SEARCH TEXT', 'CREATE', 'STATUS'),
      fc.constantFrom('INBOX', USER, 'caf\u00e9', 'a\u0000b', 'x'.repeat(5000), ''),
      fc.constantFrom('{n}', '{n+}', '~{n}'),
      fc.constantFrom('', ` ${PASSWORD}`, ' (MESSAGES)', ' x'),
    )
    .map(([verb, octets, form, rest]) => `${verb} ${form.replace('n', String(Buffer.byteLength(octets, 'latin1')))}\r\n${octets}${rest}`);
  const appendLiteral = fc
    .tuple(fc.constantFrom('Drafts', 'INBOX', 'Nowhere'), fc.constantFrom(MESSAGES[0] as string, `Subject: big\r\n\r\n${'y'.repeat(70_000)}`, 'a\u0000b', ''), fc.constantFrom('{n}', '{n+}', '~{n}'))
    .map(([folder, octets, form]) => `APPEND ${folder} (\\Seen) ${form.replace('n', String(Buffer.byteLength(octets, 'latin1')))}\r\n${octets}`);
  // RFC 9051 §7.5: refused before `+`, so the client sends nothing more
  const refusedLiteral = fc.constantFrom('LOGIN {70000}', 'APPEND INBOX {70000000}', 'SELECT {99999999999999999999}');
  // RFC 7888 §4: a LITERAL+ too large is read and thrown away
  const discardedLiteral = fc.constant(`LOGIN {70000+}\r\n${'z'.repeat(70_000)} x`);
  // A line that means nothing as a literal marker (an AUTHENTICATE response may be pre-framed as a command)
  const responseLine = fc.oneof(fc.constantFrom(plain(PASSWORD), plain('wrong'), '*', '=', ''), fc.string({ unit: 'binary', maxLength: 40 })).map((s) => s.replace(/[\r\n]/g, '').replace(/\}$/, ''));
  return fc.oneof(
    { weight: 8, arbitrary: commandText.map((c) => ({ bytes: `${tag} ${c}\r\n`, tag })) },
    { weight: 2, arbitrary: goodLiteral.map((c) => ({ bytes: `${tag} ${c}\r\n`, tag })) },
    { weight: 1, arbitrary: appendLiteral.map((c) => ({ bytes: `${tag} ${c}\r\n`, tag })) },
    { weight: 1, arbitrary: refusedLiteral.map((c) => ({ bytes: `${tag} ${c}\r\n`, tag })) },
    { weight: 1, arbitrary: discardedLiteral.map((c) => ({ bytes: `${tag} ${c}\r\n`, tag })) },
    { weight: 1, arbitrary: fc.constant({ bytes: `${tag} IDLE\r\nDONE\r\n`, tag }) },
    { weight: 1, arbitrary: responseLine.map((line) => ({ bytes: `${tag} AUTHENTICATE PLAIN\r\n${line}\r\n`, tag })) },
    { weight: 1, arbitrary: fc.constant({ bytes: `${tag} LOGOUT\r\n`, tag }) },
  );
};

/** How a session's input ends: LOGOUT, IDLE never ended by DONE, a literal cut short, an AUTHENTICATE never answered, a line cut. */
const ending = (n: number): fc.Arbitrary<Step> =>
  fc.constantFrom<Step>(
    { bytes: `t-${n} LOGOUT\r\n`, tag: `t-${n}` },
    { bytes: `t-${n} IDLE\r\n`, tag: `t-${n}` },
    { bytes: `t-${n} LOGIN {10}\r\nabc` },
    { bytes: `t-${n} APPEND INBOX {100000}\r\n${'q'.repeat(1000)}` },
    { bytes: `t-${n} AUTHENTICATE PLAIN\r\n` },
    { bytes: `t-${n} NOOP` },
  );

/** How far a session gets before the steps: most log in, many select a mailbox. */
const preamble = fc.constantFrom<Step[][]>(
  [],
  [{ bytes: `p-1 LOGIN ${USER} ${PASSWORD}\r\n`, tag: 'p-1' }],
  [
    { bytes: `p-1 LOGIN ${USER} ${PASSWORD}\r\n`, tag: 'p-1' },
    { bytes: 'p-2 SELECT INBOX\r\n', tag: 'p-2' },
  ],
  [
    { bytes: `p-1 AUTHENTICATE PLAIN ${plain(PASSWORD)}\r\n`, tag: 'p-1' },
    { bytes: 'p-2 ENABLE IMAP4rev2 QRESYNC UTF8=ACCEPT\r\n', tag: 'p-2' },
    { bytes: 'p-3 SELECT INBOX (QRESYNC (100 1))\r\n', tag: 'p-3' },
  ],
);

const framedSession = fc
  .tuple(preamble, fc.integer({ min: 0, max: 15 }))
  .chain(([start, count]) => fc.tuple(fc.tuple(...Array.from({ length: count }, (_, i) => framedStep(i + 1))), ending(count + 1)).map(([steps, last]) => [...start, ...steps, last]));

describe('ImapSession on hostile input (fuzz)', () => {
  it(
    'answers arbitrary bytes with well-formed responses only, fails nothing, logs no error, and closes once input ends',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          clientBytes.chain((data) => cut(data)),
          sessionOptions,
          async (chunks, options) => {
            checkSession(await runSession(chunks, '\r\nZ LOGOUT\r\n', options));
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'gives every command framed as a client frames it exactly one tagged answer, in order, until a BYE (RFC 9051 §2.2.2)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          framedSession.chain((steps) => cut(Buffer.from(steps.map((s) => s.bytes).join(''), 'latin1')).map((chunks) => ({ chunks, steps }))),
          fc.record({ maxErrors: fc.constantFrom(3, 1000, 1000), allowPlaintextAuth: fc.constantFrom(true, true, false) }),
          async ({ chunks, steps }, options) => {
            const responses = checkSession(await runSession(chunks, '', options));
            const owed = steps.flatMap((s) => (s.tag === undefined ? [] : [s.tag]));
            const answered = responses.flatMap((r) => (r.kind === 'tagged' && owed.includes(r.tag) ? [r.tag] : []));
            expect(answered).toEqual(owed.slice(0, answered.length));
            if (!responses.some((r) => r.kind === 'untagged' && r.status === 'BYE')) expect(answered).toEqual(owed);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
