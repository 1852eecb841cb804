import { describe, expect, it } from 'vitest';
import { decodeTransferEncoding, MimeScanner, type MimePart } from '@mail/imap';
import { planLineLimits } from './line-limit-plan';
import { conformLines } from './line-limit-transform';
import { LongLineScan, MAX_LINE_OCTETS } from './long-lines';

async function* inChunks(message: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < message.length; at += size) yield message.subarray(at, at + size);
}

/** What the relay sends for `message` read in chunks of `size`: unchanged without long lines, else planned and changed. */
async function relayed(message: Buffer, size = 64 * 1024): Promise<Buffer> {
  const scan = new LongLineScan();
  for await (const chunk of inChunks(message, size)) scan.push(chunk);
  scan.end();
  if (!scan.found) return message;
  const plan = await planLineLimits(inChunks(message, size));
  const out: Buffer[] = [];
  for await (const chunk of conformLines(inChunks(message, size), plan)) out.push(chunk);
  return Buffer.concat(out);
}

const longestLine = (message: Buffer): number =>
  Math.max(
    ...message
      .toString('latin1')
      .split('\r\n')
      .map((line) => line.length),
  );
const structure = (message: Buffer): MimePart => {
  const scanner = new MimeScanner();
  scanner.push(message);
  return scanner.end();
};
/** A leaf's decoded body and its transfer encoding. */
const decoded = (message: Buffer, part: MimePart) => ({
  encoding: part.contentTransferEncoding,
  body: decodeTransferEncoding(part.contentTransferEncoding, message.subarray(part.bodyOffset, part.endOffset)),
});
const text = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

describe('lines over 998 octets on the way out', () => {
  it('passes a line of exactly 998 octets untouched, and re-encodes one of 999', async () => {
    const at998 = text(['From: a@b.test', 'Subject: edge', '', 'x'.repeat(998), '']);
    expect(await relayed(at998)).toBe(at998);
    const at999 = text(['From: a@b.test', 'Subject: edge', '', 'x'.repeat(999), '']);
    const out = await relayed(at999);
    expect(longestLine(out)).toBeLessThanOrEqual(76);
    expect(out.toString()).toMatch(/^From: a@b\.test\r\nSubject: edge\r\nContent-Transfer-Encoding: quoted-printable\r\nMIME-Version: 1\.0\r\n\r\n/);
    expect(decoded(out, structure(out))).toEqual({ encoding: 'QUOTED-PRINTABLE', body: Buffer.from(`${'x'.repeat(999)}\r\n`) });
  });

  it('re-encodes a 100 KB line the same whatever the chunks, keeping its content (RFC 2045 §6.7)', async () => {
    const line = Array.from({ length: 100 * 1024 }, (_, i) => String.fromCharCode(32 + ((i * 7) % 95))).join('');
    const message = text(['MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', `${line} \t`, 'caf\xe9 = 8-bit', '']);
    const whole = await relayed(message);
    expect(await relayed(message, 7)).toEqual(whole);
    expect(await relayed(message, 4093)).toEqual(whole);
    expect(longestLine(whole)).toBeLessThanOrEqual(76);
    const root = structure(whole);
    expect(decoded(whole, root)).toEqual({ encoding: 'QUOTED-PRINTABLE', body: message.subarray(structure(message).bodyOffset) });
    // the old encoding field is replaced, not repeated; MIME-Version stays single
    expect(whole.toString('latin1').match(/Content-Transfer-Encoding/g)).toHaveLength(1);
    expect(whole.toString('latin1').match(/MIME-Version/g)).toHaveLength(1);
  });

  it('finds CRLF split across chunks, and never takes a bare CR or LF for a line end', async () => {
    const message = text(['Subject: split', '', `${'a'.repeat(990)}\r${'b'.repeat(20)}`, `${'c'.repeat(500)}\n${'d'.repeat(600)}`, 'short', '']);
    const scan = new LongLineScan();
    for await (const chunk of inChunks(message, 1)) scan.push(chunk);
    scan.end();
    expect(scan.found).toBe(true);
    const byOctet = await relayed(message, 1);
    expect(byOctet).toEqual(await relayed(message));
    expect(decoded(byOctet, structure(byOctet)).body.toString('latin1')).toBe(message.subarray(structure(message).bodyOffset).toString('latin1'));
  });

  it('re-encodes only the text part with a long line; other parts, base64 among them, stay as they were', async () => {
    const short = ['--b1', 'Content-Type: text/plain', '', 'short text', '--b1', 'Content-Type: text/html; charset=utf-8', ''];
    const long = [`<p>${'y '.repeat(1500)}</p>`];
    const attachment = ['--b1', 'Content-Type: image/png', 'Content-Transfer-Encoding: base64', '', 'iVBORw0KGgo='.repeat(6), 'AAAA', '--b1--', ''];
    const message = text(['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '', 'preamble', ...short, ...long, ...attachment]);
    const out = await relayed(message);
    expect(longestLine(out)).toBeLessThanOrEqual(MAX_LINE_OCTETS);
    const [before, after] = [structure(message).parts ?? [], structure(out).parts ?? []];
    expect(after.map((p) => p.contentTransferEncoding)).toEqual(['7BIT', 'QUOTED-PRINTABLE', 'BASE64']);
    after.forEach((part, i) => expect(decoded(out, part).body).toEqual(decoded(message, before[i] as MimePart).body));
    // the untouched parts, octet for octet
    expect(out.toString()).toContain(short.slice(0, 4).join('\r\n'));
    expect(out.toString()).toContain(attachment.join('\r\n'));
  });

  it('breaks a long base64 line and soft-breaks a long quoted-printable one (both decode the same)', async () => {
    const payload = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256));
    const qp = `${'caf=C3=A9 '.repeat(150)}=`;
    const message = text([
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary=b2',
      '',
      '--b2',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      payload.toString('base64'),
      '--b2',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      qp,
      'end',
      '--b2--',
      '',
    ]);
    const out = await relayed(message);
    expect(longestLine(out)).toBeLessThanOrEqual(76);
    const [base64Part, qpPart] = structure(out).parts ?? [];
    expect(decoded(out, base64Part as MimePart)).toEqual({ encoding: 'BASE64', body: payload });
    expect(decoded(out, qpPart as MimePart).body).toEqual(decoded(message, (structure(message).parts ?? [])[1] as MimePart).body);
  });

  it('folds a long header field before white space (RFC 5322 §2.2.3), and at 998 with CRLF SP where it has none', async () => {
    const recipients = Array.from({ length: 120 }, (_, i) => `person${i}@example.test`).join(', ');
    const token = 'z'.repeat(1500);
    const message = text([`To: ${recipients}`, `X-Token: ${token}`, '', 'body', '']);
    const out = await relayed(message);
    expect(longestLine(out)).toBeLessThanOrEqual(MAX_LINE_OCTETS);
    const unfolded = out.toString().replace(/\r\n(?=[ \t])/g, '');
    expect(unfolded).toContain(`To: ${recipients}\r\n`);
    // folded after the colon, then no white space to fold at: Postfix's fold, a space is left behind
    expect(out.toString()).toContain(`X-Token:\r\n ${token.slice(0, 997)}\r\n ${token.slice(997)}\r\n`);
    expect(unfolded).toContain(`X-Token: ${token.slice(0, 997)} ${token.slice(997)}\r\n`);
    expect(out.toString()).toMatch(/\r\n\r\nbody\r\n$/);
  });

  it('folds a long line of a part that is neither text nor encoded (Postfix: CRLF SP)', async () => {
    const data = 'd'.repeat(2500);
    const message = text(['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=b3', '', '--b3', 'Content-Type: application/json', '', data, '--b3--', '']);
    const out = await relayed(message);
    expect(longestLine(out)).toBe(MAX_LINE_OCTETS);
    expect(out.toString()).toContain(`${data.slice(0, 998)}\r\n ${data.slice(998, 1995)}\r\n ${data.slice(1995)}\r\n--b3--`);
  });
});
