/**
 * The hostile-message corpus, built in memory (no fixture files): messages
 * that break or slow down MIME parsers — deep nesting, thousands of parts,
 * huge and folded header fields, broken boundaries, invalid transfer
 * encodings and charsets, NUL and 8-bit octets, bare line endings — each
 * with the outcome this platform documents for it (docs/security.md):
 * stored byte for byte, or refused at the end of DATA with a reply naming
 * what is wrong.
 */

/** What the platform does with a hostile message. */
export type HostileOutcome = { readonly kind: 'stored' } | { readonly kind: 'refused'; /** The reply to the end of DATA. */ readonly reply: RegExp };

export interface HostileCase {
  readonly name: string;
  /** The message as the client means it (before dot-stuffing, without the terminator). */
  readonly message: Buffer;
  readonly outcome: HostileOutcome;
}

const stored: HostileOutcome = { kind: 'stored' };

/** RFC 5322 §2.1.1: a header or body line of at most 998 octets plus CRLF. */
const maxLine = 998;

function headerSection(name: string, recipient: string, extra = ''): string {
  return (
    `From: Mallory <mallory@hostile.test>\r\n` +
    `To: <${recipient}>\r\n` +
    `Subject: hostile ${name}\r\n` +
    `Date: Sun, 22 Nov 2026 01:00:00 +0000\r\n` +
    `Message-ID: <${name}.${Date.now()}@hostile.test>\r\n` +
    `MIME-Version: 1.0\r\n` +
    extra
  );
}

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** multipart/mixed nested `depth` levels deep (RFC 2046 §5.1.1), a text part at the bottom. */
function nestedMultipart(depth: number): string {
  let inner = 'Content-Type: text/plain; charset=us-ascii\r\n\r\nthe bottom of the well\r\n';
  for (let level = depth; level > 0; level -= 1) {
    const boundary = `level-${level}`;
    inner = `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\n${inner}--${boundary}--\r\n`;
  }
  return inner;
}

/** One multipart/mixed with `count` small text parts. */
function manyParts(count: number): string {
  const parts: string[] = ['Content-Type: multipart/mixed; boundary="p"\r\n\r\npreamble\r\n'];
  for (let n = 0; n < count; n += 1) parts.push(`--p\r\nContent-Type: text/plain\r\n\r\npart ${n}\r\n`);
  parts.push('--p--\r\n');
  return parts.join('');
}

/** One header field folded (RFC 5322 §2.2.3) over `octets` octets in lines of legal length. */
function foldedField(name: string, octets: number, unit = 'a'): string {
  const lines: string[] = [`${name}: start`];
  let size = 0;
  const line = `\t${unit.repeat(Math.floor((maxLine - 2) / unit.length))}`;
  while (size < octets) {
    lines.push(line);
    size += line.length + 2;
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The body lines of `text` wrapped at `width` octets with CRLF. */
function wrap(text: string, width = 76): string {
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += width) lines.push(text.slice(at, at + width));
  return `${lines.join('\r\n')}\r\n`;
}

/** The corpus, for messages addressed to `recipient`, against a server whose MAX_MESSAGE_SIZE is `maxSize`. */
export function hostileCorpus(recipient: string, maxSize: number): HostileCase[] {
  const make = (name: string, extraHeaders: string, body: string | Buffer, outcome: HostileOutcome = stored): HostileCase => ({
    name,
    outcome,
    message: Buffer.concat([latin1(headerSection(name, recipient, extraHeaders)), typeof body === 'string' ? latin1(body) : body]),
  });
  const mime = (name: string, contentHeaders: string, body: string | Buffer): HostileCase => make(name, contentHeaders, body);

  return [
    // A message is one entity whose body is the nested multipart; RFC 2046 sets no depth limit.
    make('nested-multipart-150', '', nestedMultipart(150)),
    make('parts-5000', '', manyParts(5000)),
    // RFC 5321 §4.5.3.1.6 / RFC 5322 §2.1.1 say 1000 octets per line; kept as received up to SMTP_MAX_LINE_LENGTH (64 KiB), refused past it, never wrapped.
    make('body-line-5000', '', `\r\n${'b'.repeat(4998)}\r\n`),
    make('header-line-1mib', `X-Long: ${'a'.repeat(1024 * 1024)}\r\n`, '\r\nbody\r\n', { kind: 'refused', reply: /^550 5\.6\.0 / }),
    make('folded-header-1mib', foldedField('X-Folded', 1024 * 1024), '\r\nbody\r\n'),
    make('header-fields-20000', Array.from({ length: 20_000 }, (_, n) => `X-Field-${n}: value ${n}\r\n`).join(''), '\r\nbody\r\n'),
    make('encoded-words-flood', foldedField('X-Words', 256 * 1024, '=?utf-8?B?w6k=?= '), '\r\nbody\r\n'),
    make('address-flood-10000', `Cc: ${Array.from({ length: 10_000 }, (_, n) => `u${n}@x.test`).join(',\r\n ')}\r\n`, '\r\nbody\r\n'),
    make('rfc2231-parameter-flood', `Content-Type: text/plain;\r\n${Array.from({ length: 5000 }, (_, n) => ` name*${n}*=utf-8''%C3%A9`).join(';\r\n')}\r\n`, '\r\nbody\r\n'),
    make('comment-nesting', `Content-Type: text/plain; ${foldedField('x', 64 * 1024, '(').replace(/^x: start/, '')}`, '\r\nbody\r\n'),
    // Boundaries (RFC 2046 §5.1.1) that are declared and never used, missing, or never closed.
    mime('boundary-never-used', 'Content-Type: multipart/mixed; boundary="absent"\r\n', '\r\n--present\r\ntext\r\n--present--\r\n'),
    mime('boundary-missing', 'Content-Type: multipart/alternative\r\n', '\r\n--\r\nContent-Type: text/plain\r\n\r\nx\r\n----\r\n'),
    mime('boundary-unterminated', 'Content-Type: multipart/mixed; boundary=b\r\n', `\r\n${'--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n'.repeat(200)}tail\r\n`),
    // Transfer encodings that do not decode (RFC 2045 §6.7, §6.8).
    mime('base64-invalid', 'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n', `\r\n${wrap('!!!*@@@===a=b=c'.repeat(20_000))}QQ\r\n`),
    mime('quoted-printable-invalid', 'Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n', `\r\n${'=ZZ=4=\r\n=\r\n=3D=3'.repeat(10_000)}\r\n`),
    // Charsets that lie or do not exist (RFC 2046 §4.1.2, RFC 2047 §5).
    mime('charset-lies', 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n', Buffer.from([...latin1('\r\n'), 0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x0d, 0x0a])),
    mime('charset-unknown', 'Content-Type: text/plain; charset="x-klingon-9"\r\nSubject: =?x-klingon-9?Q?qapla=27?= =?utf-8?B?!!!?=\r\n', '\r\nnuqneH\r\n'),
    mime('charset-iso2022-broken', 'Content-Type: text/plain; charset=iso-2022-jp\r\n', wrap(`\r\n${'\x1b$B\x1b(\x1b$'.repeat(5000)}`)),
    // NUL (RFC 5322 §4.1 obsolete, RFC 5321 §4.5.2 silent) and 8-bit octets sent without BODY=8BITMIME (RFC 6152 §3).
    make('nul-octets', 'X-Nul: a\0b\r\n', Buffer.from([...latin1('\r\nbefore'), 0, 0, 0, ...latin1('after\r\n')])),
    make('eight-bit-without-8bitmime', 'Content-Transfer-Encoding: 7bit\r\n', Buffer.from([...latin1('\r\ncaf'), 0xe9, 0x20, 0xff, 0x80, 0x0d, 0x0a])),
    // RFC 5321 §2.3.8: lines end in CRLF; bare CR or LF is refused (SMTP smuggling defence).
    make('bare-cr', '', '\r\nline one\rline two\r\n', { kind: 'refused', reply: /^550 5\.6\.11 / }),
    make('bare-lf', '', '\r\nline one\nline two\r\n', { kind: 'refused', reply: /^550 5\.6\.11 / }),
    // RFC 1870 §6.3: over the advertised SIZE; the rest of the data is read and discarded.
    make('over-max-size', '', `\r\n${wrap('x'.repeat(maxSize), 998)}`, { kind: 'refused', reply: /^552 5\.3\.4 / }),
    // No header section at all, and a header section that never ends.
    { name: 'no-header-section', outcome: stored, message: latin1('just a body line\r\n') },
    { name: 'header-section-without-end', outcome: stored, message: latin1(headerSection('header-section-without-end', recipient, 'X-Last: field\r\n')) },
  ];
}

/** RFC 5321 §4.5.2: a line that starts with a period gets one more. */
export function dotStuff(message: Buffer): Buffer {
  const text = message.toString('latin1');
  return latin1((text.startsWith('.') ? '.' : '') + text.replace(/\r\n\./g, '\r\n..'));
}
