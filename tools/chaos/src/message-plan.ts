/**
 * The messages the matrix sends: each has its own Message-ID (the key every
 * count uses), a way in (the MX port from a foreign sender, or
 * authenticated submission) and what must come of it — one mailbox entry
 * for a local recipient, one delivery at the remote MX for remote ones.
 * Seven in ten are inbound to a local user; of the rest, two thirds go to
 * a remote recipient only and one third to a remote and a local one.
 */
export const localDomain = 'example.test';
export const remoteDomain = 'remote.test';
export const remoteMx = 'mx.remote.test';

export interface Mailbox {
  readonly address: string;
  readonly password: string;
}
export type Mailboxes = readonly Mailbox[];

/** The local users mail goes to, and the one who submits mail for remote recipients. */
export const recipients: Mailboxes = Array.from({ length: 4 }, (_, i) => ({ address: `user${i}@${localDomain}`, password: `chaos-pass-${i}` }));
export const submitter: Mailbox = { address: `sender@${localDomain}`, password: 'chaos-submit' };
export const allMailboxes: Mailboxes = [...recipients, submitter];

export interface PlannedMessage {
  readonly index: number;
  /** Without angle brackets, lower case: the key of every count. */
  readonly messageId: string;
  readonly phase: number;
  readonly via: 'inbound' | 'submission';
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  /** Mailbox entries expected (0 or 1). */
  readonly expectedStored: number;
  /** Deliveries at the remote MX expected (0 or 1: remote recipients share one transaction). */
  readonly expectedDelivered: number;
}

export function planMessage(index: number, phase: number, runId: string): PlannedMessage {
  const messageId = `chaos-${runId}-${index}@chaos.test`;
  const local = recipients[index % recipients.length]?.address ?? '';
  const kind = index % 10;
  if (kind < 7) {
    return { index, messageId, phase, via: 'inbound', mailFrom: `alice${index}@crepes.fr`, rcptTo: [local], expectedStored: 1, expectedDelivered: 0 };
  }
  const remote = `friend${index}@${remoteDomain}`;
  const rcptTo = kind === 9 ? [remote, local] : [remote];
  return { index, messageId, phase, via: 'submission', mailFrom: submitter.address, rcptTo, expectedStored: kind === 9 ? 1 : 0, expectedDelivered: 1 };
}

/** The message itself (CRLF line ends); the SMTP client dot-stuffs it and ends the data (RFC 5321 §4.5.2, §4.1.1.4). Its last line starts with a dot, so the stuffing is exercised end to end. */
export function renderMessage(message: PlannedMessage): string {
  const lines = [
    `From: <${message.mailFrom}>`,
    `To: ${message.rcptTo.map((r) => `<${r}>`).join(', ')}`,
    `Subject: chaos ${message.index}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${message.messageId}>`,
    '',
    `Message ${message.index} of the crash matrix, phase ${message.phase}.`,
    ...Array.from({ length: 8 }, (_, i) => `Line ${i}: the quick brown fox jumps over the lazy dog.`),
    '.a line that starts with a dot',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** The Message-ID of a raw message (header section only), normalised as `messageId`. */
export function messageIdOf(raw: string): string | undefined {
  const headerEnd = raw.indexOf('\r\n\r\n');
  const header = headerEnd < 0 ? raw : raw.slice(0, headerEnd);
  const match = /^Message-ID:\s*<?([^>\r\n]+)>?/im.exec(header);
  return match?.[1]?.trim().toLowerCase();
}
