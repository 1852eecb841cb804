/**
 * What a command handler gets — the session's state, the connection, the
 * server's settings and the services it may call — and the handler type
 * itself. Handlers reply through `channel.reply` (formatReply) or by
 * throwing SmtpReplyError, which the dispatcher writes in one place.
 */
import type { TlsContextSource } from '@mail/runtime';
import type { SmtpCommand } from '@mail/smtp';
import type { CredentialVerifier } from '../auth/credential-verifier';
import type { RecipientDirectory } from '../directory/recipient-directory';
import type { AuthFailureGuard } from '../limits/auth-failures';
import type { MailQueue } from '../message/mail-queue';
import type { IngressMetrics } from '../metrics';
import type { ScreenOutcome } from '../screening/client-screening';
import type { SessionState } from './session-state';
import type { SmtpChannel } from './smtp-channel';
import type { SessionLog } from './session-log';

/** Server-wide settings that shape every session. */
export interface SessionSettings {
  /** MAIL_HOSTNAME: greeting, HELO reply, Received: field. */
  readonly hostname: string;
  /** Largest message in octets, advertised as SIZE (RFC 1870). */
  readonly maxMessageSize: number;
  /** Longest line accepted in message data, in octets including CRLF (SMTP_MAX_LINE_LENGTH; see content-policy.ts). */
  readonly maxLineLength: number;
  /** Recipients per transaction before 452 4.5.3 (RFC 5321 §4.5.3.1.8). */
  readonly maxRecipients: number;
  /** Client-caused errors before 421 and close. */
  readonly maxErrors: number;
  /** Messages per connection before MAIL gets 421 4.7.0 and the connection closes. */
  readonly maxMessagesPerConnection: number;
  /** SUBMISSION_ALLOW_PLAINTEXT_AUTH: AUTH without TLS for loopback clients. */
  readonly allowPlaintextAuth: boolean;
  /** Delay before answering a failed or locked-out AUTH. */
  readonly authFailureDelayMs: number;
  /** TLS context of each STARTTLS (the newest certificate, reloaded when renewed); undefined when no certificate is configured. */
  readonly tls: TlsContextSource | undefined;
}

/** The services a session calls. */
export interface SessionServices {
  readonly directory: RecipientDirectory;
  readonly queue: MailQueue;
  readonly metrics: IngressMetrics;
  /** Password checks for AUTH (mailbox-store). */
  readonly credentials: CredentialVerifier;
  /** Failed-AUTH counts per IP and user (Redis). */
  readonly authFailures: AuthFailureGuard;
}

/** Everything a command handler may use. */
export interface CommandContext {
  readonly state: SessionState;
  readonly channel: SmtpChannel;
  readonly settings: SessionSettings;
  readonly services: SessionServices;
  /** The session's logger (carries the session id); never give it message content or AUTH data. */
  readonly log: SessionLog;
  /** The client's verified reverse-DNS name, looked up when the connection opened. */
  readonly clientHostname: Promise<string | undefined>;
  /** The DNSBL screening verdict, asked for when the connection opened (accept on submission). */
  readonly screening: Promise<ScreenOutcome>;
}

/** What the session does after a command: read the next one, or close the connection. */
export type CommandOutcome = 'continue' | 'close';

/** The command of one kind. */
export type CommandOf<K extends SmtpCommand['kind']> = Extract<SmtpCommand, { kind: K }>;

/** Runs one command; resolves to 'close' to end the session (QUIT). */
export type CommandHandler<K extends SmtpCommand['kind']> = (ctx: CommandContext, command: CommandOf<K>) => Promise<CommandOutcome | void>;
