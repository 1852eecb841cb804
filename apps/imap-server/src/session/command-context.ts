/**
 * What a command handler gets: the session's state and channel, the
 * server's settings and services, and the shape of what it returns — the
 * text and response code of its tagged OK, which the dispatcher writes
 * (the one place tagged responses are serialized).
 */
import type { LoginThrottle } from '@mail/login-limits';
import type { ImapCommand, ImapCommandKind, ResponseCode } from '@mail/imap';
import type { TlsContextSource } from '@mail/runtime';
import type { Logger } from '@mail/telemetry';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { ImapMetrics } from '../metrics';
import type { AppendUploads } from './append-uploads';
import type { MailboxChangeFeed } from './mailbox-change-feed';
import type { SessionState } from './session-state';
import type { ImapChannel } from './transport';

/** The server's settings a session reads. */
export interface SessionSettings {
  /** MAIL_HOSTNAME, in the greeting. */
  readonly hostname: string;
  /** The certificate for STARTTLS (current() at each handshake, so a renewed one applies); undefined: STARTTLS is not offered. */
  readonly tls: TlsContextSource | undefined;
  /** IMAP_ALLOW_PLAINTEXT_AUTH: passwords without TLS from loopback clients. */
  readonly allowPlaintextAuth: boolean;
  /** Client mistakes after which the session ends with BYE. */
  readonly maxErrors: number;
  /** Inactivity timer once logged in (RFC 9051 §5.4: at least 30 minutes). */
  readonly idleTimeoutMs: number;
  /** Delay before the answer to wrong credentials, and to a blocked login. */
  readonly failureReplyDelayMs: number;
  readonly blockedReplyDelayMs: number;
}

/** The services a session uses. */
export interface SessionServices {
  readonly store: MailboxStoreClient;
  readonly throttle: LoginThrottle;
  readonly metrics: ImapMetrics;
  readonly changes: MailboxChangeFeed;
}

export interface CommandContext extends SessionServices {
  readonly settings: SessionSettings;
  readonly session: SessionState;
  readonly channel: ImapChannel;
  readonly log: Logger;
  /** The session's APPEND messages streamed to the object store as they arrived. */
  readonly uploads: AppendUploads;
}

/** How a command ended well: the tagged OK's code and text, and whether the connection closes after it (LOGOUT). */
export interface Completion {
  readonly text: string;
  readonly code?: ResponseCode;
  readonly close?: boolean;
  /** The handler wrote its tagged response itself (STARTTLS: the OK must precede the handshake). */
  readonly alreadySent?: boolean;
}

/** A command of one kind (or of twins such as SELECT and EXAMINE, which share a member of the union). */
export type CommandOf<K extends ImapCommandKind> = Narrowed<ImapCommand, K>;
type Narrowed<C, K> = C extends { readonly kind: infer Kind } ? ([K & Kind] extends [never] ? never : C & { readonly kind: K & Kind }) : never;

/** A handler of one command kind; refuses by throwing ImapResponseError. */
export type CommandHandler<K extends ImapCommandKind> = (ctx: CommandContext, command: CommandOf<K>) => Promise<Completion>;
