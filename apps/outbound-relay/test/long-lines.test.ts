/**
 * Lines over 998 octets (accepted by smtp-ingress as Postfix does) leave
 * the relay within RFC 5322 §2.1.1: a 5,000-octet text line re-encoded as
 * quoted-printable, a multipart's long part alone re-encoded, the decoded
 * content the same at the sink, and the DKIM signature made over what is
 * sent, so it verifies there (mailauth's dkimVerify against the dns2 server).
 */
import { Resolver } from 'node:dns/promises';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTransferEncoding, MimeScanner, type MimePart } from '@mail/imap';
import { startRelayHarness, type RelayHarness } from './relay-harness';

const structure = (message: Buffer): MimePart => {
  const scanner = new MimeScanner();
  scanner.push(message);
  return scanner.end();
};
const decodedBody = (message: Buffer, part: MimePart) => decodeTransferEncoding(part.contentTransferEncoding, message.subarray(part.bodyOffset, part.endOffset));
const longestLine = (message: Buffer) =>
  Math.max(
    ...message
      .toString('latin1')
      .split('\r\n')
      .map((line) => line.length),
  );

describe('outbound-relay and lines over 998 octets', () => {
  let h: RelayHarness;
  const dns = new Resolver({ timeout: 2000, tries: 1 });
  const resolver = async (name: string, type: string) => {
    if (type !== 'TXT') throw Object.assign(new Error(`unexpected ${type} query`), { code: 'ENOTFOUND' });
    return dns.resolveTxt(name);
  };

  beforeAll(async () => {
    h = await startRelayHarness(['127.0.0.2']);
    h.dns.add('long.test', { type: 'MX', preference: 10, exchange: 'mx.long.test' });
    h.dns.add('mx.long.test', { type: 'A', address: '127.0.0.2' });
    dns.setServers([h.dns.address]);
    const generated = await h.mailctl('dkim', 'generate', 'origin.test', '--selector', 'long');
    const record = generated.stdout.split('\n')[0] ?? '';
    h.dns.add('long._domainkey.origin.test', { type: 'TXT', text: [...record.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const delivered = async (recipient: string, body: Buffer): Promise<Buffer> => {
    const queueId = await h.queue([recipient], { body, traceHeaders: [{ name: 'Received', value: 'from client by mx.origin.test; Mon, 1 Jan 2025 00:00:00 +0000' }] });
    await h.waitForEvents(queueId, 1, 'delivered');
    const transaction = h
      .sink('127.0.0.2')
      .delivered()
      .find((t) => t.rcptTo.includes(recipient));
    expect(transaction).toBeDefined();
    const data = transaction?.data ?? Buffer.alloc(0);
    expect(transaction?.mailParams['SIZE']).toBe(String(data.length));
    return data;
  };

  it('relays a 5,000-octet line re-encoded, with the same decoded text and a signature that verifies', async () => {
    const line = Array.from({ length: 5000 }, (_, i) => 'the quick brown fox = jumps '[i % 28]).join('');
    const body = Buffer.from(`From: Sender <sender@origin.test>\r\nTo: ann@long.test\r\nSubject: long line\r\nDate: Mon, 1 Jan 2025 00:00:00 +0000\r\n\r\n${line}\r\nshort line\r\n`);
    const data = await delivered('ann@long.test', body);
    expect(longestLine(data)).toBeLessThanOrEqual(998);
    const root = structure(data);
    expect(root.contentTransferEncoding).toBe('QUOTED-PRINTABLE');
    expect(decodedBody(data, root).toString()).toBe(`${line}\r\nshort line\r\n`);
    const verified = await dkimVerify(data, { resolver });
    expect(verified.results.map((r) => [r.signingDomain, r.status.result])).toEqual([['origin.test', 'pass']]);
  });

  it('re-encodes only the long part of a multipart message', async () => {
    const html = `<p>${'word '.repeat(1200)}</p>`;
    const body = Buffer.from(
      [
        'From: sender@origin.test',
        'Subject: parts',
        'MIME-Version: 1.0',
        'Content-Type: multipart/alternative; boundary="sep"',
        '',
        '--sep',
        'Content-Type: text/plain',
        '',
        'plain and short',
        '--sep',
        'Content-Type: text/html',
        '',
        html,
        '--sep--',
        '',
      ].join('\r\n'),
    );
    const data = await delivered('bob@long.test', body);
    expect(longestLine(data)).toBeLessThanOrEqual(998);
    const [plain, rich] = structure(data).parts ?? [];
    expect([plain?.contentTransferEncoding, rich?.contentTransferEncoding]).toEqual(['7BIT', 'QUOTED-PRINTABLE']);
    expect(decodedBody(data, plain as MimePart).toString()).toBe('plain and short');
    expect(decodedBody(data, rich as MimePart).toString()).toBe(html);
    expect((await dkimVerify(data, { resolver })).results.map((r) => r.status.result)).toEqual(['pass']);
  });
});
