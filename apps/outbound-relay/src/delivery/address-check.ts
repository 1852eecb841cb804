/**
 * Addresses that cannot be written into an SMTP command (RFC 5321 §4.1.2
 * syntax, with RFC 6531 UTF-8) fail permanently before any lookup: no
 * server, now or later, could be asked to take them.
 */
import { parseMailbox } from '@mail/smtp';
import type { RecipientOutcome } from './recipient-outcome';

function isWritable(address: string): boolean {
  try {
    parseMailbox(address, { utf8: true });
    return true;
  } catch {
    return false;
  }
}

/** Splits recipients into those that can be sent and permanent failures for the rest (a bad sender fails them all). */
export function checkAddresses(mailFrom: string, recipients: readonly string[]): { sendable: string[]; failures: RecipientOutcome[] } {
  const fail = (recipient: string, enhanced: string, detail: string): RecipientOutcome => ({
    recipient,
    status: 'permanent',
    detail,
    reply: { code: 553, enhanced, lines: [detail] },
  });
  // RFC 3463 §3.2: X.1.7 bad sender's mailbox address syntax
  if (mailFrom !== '' && !isWritable(mailFrom)) {
    return { sendable: [], failures: recipients.map((r) => fail(r, '5.1.7', `sender address ${mailFrom} is not valid SMTP syntax`)) };
  }
  const sendable = recipients.filter(isWritable);
  // RFC 3463 §3.2: X.1.3 bad destination mailbox address syntax
  const failures = recipients.filter((r) => !isWritable(r)).map((r) => fail(r, '5.1.3', `recipient address ${r} is not valid SMTP syntax`));
  return { sendable, failures };
}
