/**
 * The Received: trace field this server adds to every accepted message
 * (RFC 5321 §4.4, grammar "Stamp"; RFC 5322 §3.6.7), as a folded header
 * value for the event's traceHeaders — never written into the stored body.
 *
 *   from crepes.fr (client.example [192.0.2.1])
 *   	by mx.example.test with ESMTPS id K7QX...
 *   	for <bob@example.test>; Sat, 21 Nov 2026 10:00:00 +0000
 */
import type { HeaderField } from '@mail/contracts';

/** Facts for one Received: field. */
export interface ReceivedFacts {
  /** The HELO/EHLO argument as the client gave it. */
  readonly helo: string;
  /** The verified reverse-DNS name of the client, if any. */
  readonly clientHostname: string | undefined;
  readonly clientIp: string;
  /** MAIL_HOSTNAME. */
  readonly hostname: string;
  /** The client used EHLO (ESMTP) rather than HELO. */
  readonly extended: boolean;
  readonly tls: boolean;
  readonly authenticated: boolean;
  /** SMTPUTF8 was given on MAIL (RFC 6531 §3.7.3). */
  readonly smtputf8: boolean;
  readonly queueId: string;
  /** Forward-paths of the transaction; `for` is written only when there is exactly one. */
  readonly recipients: readonly string[];
  readonly date: Date;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** RFC 5322 §3.3 date-time in UTC: `Sat, 21 Nov 2026 10:00:00 +0000`. */
export function formatRfc5322Date(date: Date): string {
  const day = DAYS[date.getUTCDay()] ?? 'Sun';
  const month = MONTHS[date.getUTCMonth()] ?? 'Jan';
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${day}, ${pad(date.getUTCDate())} ${month} ${date.getUTCFullYear()} ${time} +0000`;
}

/**
 * RFC 3848 §3 / RFC 6531 §3.7.3 "with" protocol: SMTP after HELO; ESMTP,
 * plus S for TLS and A for authentication; UTF8SMTP… when SMTPUTF8 was used.
 */
export function withProtocol(facts: Pick<ReceivedFacts, 'extended' | 'tls' | 'authenticated' | 'smtputf8'>): string {
  if (!facts.extended) return 'SMTP';
  const base = facts.smtputf8 ? 'UTF8SMTP' : 'ESMTP';
  return `${base}${facts.tls ? 'S' : ''}${facts.authenticated ? 'A' : ''}`;
}

/**
 * The client's HELO name made safe for the header: anything but printable
 * ASCII, and the specials "(", ")", ";", "\\", '"', become "?" so the
 * field's structure cannot be forged (RFC 5322 §3.2.2 comments, §3.6.7).
 * RFC 5321 §4.4: the name is recorded as given, even when it is not valid.
 */
export function sanitizeHelo(helo: string): string {
  const safe = helo.replace(/[^\x21-\x7e]|[();\\"]/g, '?');
  return safe === '' ? 'unknown' : safe.slice(0, 255);
}

/** The Received: header field for an accepted message. */
export function receivedHeader(facts: ReceivedFacts): HeaderField {
  // RFC 5321 §4.4: From-domain = "FROM" FWS Extended-Domain; TCP-info = address-literal / ( Domain FWS address-literal )
  const literal = facts.clientIp.includes(':') ? `[IPv6:${facts.clientIp}]` : `[${facts.clientIp}]`;
  const from = `from ${sanitizeHelo(facts.helo)} (${facts.clientHostname ?? 'unknown'} ${literal})`;
  const by = `by ${facts.hostname} with ${withProtocol(facts)} id ${facts.queueId}`;
  const date = formatRfc5322Date(facts.date);
  const only = facts.recipients.length === 1 ? facts.recipients[0] : undefined;
  // RFC 5321 §4.4: "for" names one recipient; with several it would disclose the others (Bcc)
  const value = only === undefined ? `${from}\r\n\t${by}; ${date}` : `${from}\r\n\t${by}\r\n\tfor <${only}>; ${date}`;
  return { name: 'Received', value };
}
