/**
 * Hostile MIME shapes filled up to a size (the in-process parse bound):
 * the shapes of the platform's hostile corpus (apps/platform-e2e, see
 * docs/security.md) that cost mailparser the most per octet, each repeated
 * until it fills `size` octets — deep nesting, a thousand parts, header
 * field, address, group, comment and RFC 2231 floods, encoded words,
 * broken boundaries and transfer encodings, charsets that lie, HTML to be
 * turned into text. Lines stay within RFC 5322's 998 octets (what
 * smtp-ingress lets through), except one long header line.
 */

export interface HostileShape {
  readonly name: string;
  /** At most the size asked for. */
  readonly raw: Buffer;
}

const header = 'From: Mallory <mallory@hostile.test>\r\nTo: <bob@example.test>\r\nSubject: hostile\r\nDate: Sun, 22 Nov 2026 01:00:00 +0000\r\nMessage-ID: <h@hostile.test>\r\nMIME-Version: 1.0\r\n';

/** `unit` repeated to about `size` octets. */
const fill = (unit: string, size: number): string => unit.repeat(Math.max(1, Math.ceil(size / unit.length)));

/** multipart/mixed nested `depth` levels deep (RFC 2046 §5.1.1), a text part at the bottom. */
function nested(depth: number): string {
  let inner = 'Content-Type: text/plain\r\n\r\nthe bottom of the well\r\n';
  for (let level = depth; level > 0; level -= 1) inner = `Content-Type: multipart/mixed; boundary="l${level}"\r\n\r\n--l${level}\r\n${inner}--l${level}--\r\n`;
  return inner;
}

/** The deepest nesting that fits in `size` octets. */
function nestedToFit(size: number): string {
  let depth = 1;
  while (nested(depth + 1).length <= size) depth += 1;
  return nested(depth);
}

/** One header field folded (RFC 5322 §2.2.3) in lines of legal length, over about `octets`. */
function folded(name: string, octets: number, unit = 'a'): string {
  const line = `\t${unit.repeat(Math.floor(996 / unit.length))}`;
  return `${name}: start\r\n${fill(`${line}\r\n`, octets)}`;
}

/** Body text in lines of 76 octets. */
function wrapped(text: string): string {
  return `${(text.match(/[\s\S]{1,76}/g) ?? []).join('\r\n')}\r\n`;
}

const shapes: Readonly<Record<string, (size: number) => string>> = {
  'nested-multipart': (size) => header + nestedToFit(size - header.length),
  'text-parts': (size) => `${header}Content-Type: multipart/mixed; boundary="p"\r\n\r\n${fill('--p\r\nContent-Type: text/plain\r\n\r\nx\r\n', size)}`,
  'empty-parts': (size) => `${header}Content-Type: multipart/mixed; boundary="p"\r\n\r\n${fill('--p\r\n\r\n', size)}`,
  'base64-parts': (size) =>
    `${header}Content-Type: multipart/mixed; boundary="p"\r\n\r\n${fill('--p\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nQUFB\r\n', size)}`,
  'unterminated-parts': (size) => `${header}Content-Type: multipart/mixed; boundary=b\r\n\r\n${fill('--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n', size)}`,
  'header-fields': (size) => `${header}${fill('X-F: v\r\n', size)}\r\nbody\r\n`,
  'header-without-end': (size) => `${header}${fill('X-L: f\r\n', size)}`,
  'folded-header': (size) => `${header}${folded('X-Folded', size)}\r\nbody\r\n`,
  'long-header-line': (size) => `${header}X-Long: ${'a'.repeat(size)}\r\n\r\nbody\r\n`,
  'encoded-words-b': (size) => `${header}${folded('Subject', size, '=?utf-8?B?w6k=?= ')}\r\nbody\r\n`,
  'encoded-words-q': (size) => `${header}${folded('Subject', size, '=?iso-8859-1?Q?=E9=E9?= ')}\r\nbody\r\n`,
  'cc-addresses': (size) => `${header}Cc: ${fill('u@x.test,\r\n ', size)}z@x.test\r\n\r\nbody\r\n`,
  'from-addresses': (size) => `From: ${fill('u@x.test,\r\n ', size)}z@x.test\r\n\r\nbody\r\n`,
  'from-groups': (size) => `From: ${fill('g: a@b.test, d@e.test;,\r\n ', size)}z@x.test\r\n\r\nbody\r\n`,
  'from-comments': (size) => `From: ${folded('x', size, '(').replace(/^x: start/, '')}\r\nbody\r\n`,
  'rfc2231-sections': (size) => `${header}Content-Type: text/plain;\r\n${Array.from({ length: Math.ceil(size / 22) }, (_, n) => ` name*${n}*=utf-8''%C3%A9`).join(';\r\n')}\r\n\r\nbody\r\n`,
  'parameter-comments': (size) => `${header}Content-Type: text/plain; ${folded('x', size, '(').replace(/^x: start/, '')}\r\nbody\r\n`,
  'base64-invalid': (size) => `${header}Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrapped(fill('!!!*@@@===a=b=c', size))}`,
  'quoted-printable-invalid': (size) => `${header}Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${fill('=ZZ=4=\r\n=\r\n=3D=3', size)}`,
  'iso-2022-jp-broken': (size) => `${header}Content-Type: text/plain; charset=iso-2022-jp\r\n\r\n${wrapped(fill('\x1b$B\x1b(\x1b$', size))}`,
  'html-links': (size) => `${header}Content-Type: text/html\r\n\r\n${wrapped(fill('<div><a href="http://x.test/a">b</a><b><i>', size))}`,
  'html-entities': (size) => `${header}Content-Type: text/html\r\n\r\n${wrapped(fill('&amp;&#x41;&lt;', size))}`,
  'nul-octets': (size) => `${header}X-Nul: a\0b\r\n\r\n${fill('a\0', size)}`,
};

/** Every shape, `size` octets long at most (cut there: a cut message is as hostile). */
export function smallHostileMessages(size: number): HostileShape[] {
  return Object.entries(shapes).map(([name, make]) => ({ name, raw: Buffer.from(make(size), 'latin1').subarray(0, size) }));
}
