/**
 * Messages the bench sends: a plain RFC 5322 message padded to a given size
 * with 76-character lines, as smtp-source's `-l` does, ready for the SMTP
 * client (which dot-stuffs it).
 */
import { messageRequest, type TransactionRequest } from '@mail/smtp-client';

/** A message of about `bytes` octets (headers included), CRLF line ends, not yet dot-stuffed. */
export function testMessage(bytes: number, from: string, to: string, subject: string): string {
  const header = [
    `From: <${from}>`,
    `To: <${to}>`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${subject.replaceAll(' ', '.')}.${Date.now()}@bench.client.test>`,
    '',
    '',
  ].join('\r\n');
  const line = `${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3).slice(0, 76)}\r\n`;
  const body = line.repeat(Math.max(1, Math.ceil((bytes - header.length) / line.length)));
  return header + body;
}

/** The same as a transaction for the SMTP client, from `from` to `to`. */
export function testRequest(bytes: number, from: string, to: string, subject: string): TransactionRequest {
  return messageRequest({ from, to: [to] }, testMessage(bytes, from, to, subject));
}
