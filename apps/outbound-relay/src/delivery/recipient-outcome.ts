/**
 * What became of one recipient in one delivery attempt, in the words the
 * rest of the relay uses: delivered, temporary failure (retry later) or
 * permanent failure (bounce), with the server and reply that decided it.
 */
import type { SmtpReply } from '@mail/smtp';
import { replyText } from '@mail/smtp-client';

export type RecipientStatus = 'delivered' | 'temporary' | 'permanent';

/** The remote server that gave a reply. */
export interface RemoteServer {
  /** MX host name (or the domain itself for an implicit MX). */
  readonly host: string;
  readonly address: string;
}

export interface RecipientOutcome {
  readonly recipient: string;
  readonly status: RecipientStatus;
  /** One line for people: which server said what, or why no server was asked. */
  readonly detail: string;
  readonly remote?: RemoteServer;
  /** The SMTP reply behind the outcome, when a server (or a local check standing in for one) gave it. */
  readonly reply?: SmtpReply;
  /** Not tried: the destination's concurrency limit was reached (temporary, retried shortly, not an attempt). */
  readonly throttled?: boolean;
  /** Delivered to a server that offers DSN, so NOTIFY and ORCPT went along (RFC 3461 §5.2.1). */
  readonly dsnPassed?: boolean;
  /** Delivered over TLS (STARTTLS, RFC 3207). */
  readonly tls?: boolean;
}

/** RFC 5321 §4.2.1: 2yz done, 5yz permanent; 4yz and anything unexpected is temporary. */
export function statusOfReply(code: number): RecipientStatus {
  if (code >= 200 && code < 300) return 'delivered';
  return code >= 500 && code < 600 ? 'permanent' : 'temporary';
}

/** `mx.example.org[192.0.2.1] said: 550 5.1.1 No such user (in reply to RCPT TO)`. */
export function describeReply(remote: RemoteServer, reply: SmtpReply, stage: string): string {
  return `${remote.host}[${remote.address}] said: ${replyText(reply)} (in reply to ${stage})`;
}
