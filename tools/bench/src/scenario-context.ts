/**
 * What every scenario gets: the options, the running stack, where to put
 * its measurements and notes, and the same run's reference figures
 * (Postfix, Dovecot, smtp-sink) when --compare measured them.
 */
import type { BenchOptions } from './bench-options';
import type { Measurement } from './bench-results';
import type { BenchStack } from './bench-stack';
import type { CpuPerMessage } from './cpu-meter';

/** A reference system's CPU per message in one scenario's counterpart (e.g. Postfix + rspamd for inbound). */
export interface ReferenceCpu {
  readonly scenario: string;
  readonly system: string;
  /** Its processes' CPU ms per message, and their "total". */
  readonly rows: readonly CpuPerMessage[];
}

/** A FETCH over a whole mailbox: FETCH responses per second and MiB of the answer per second. */
export interface ImapFetchFigures {
  readonly messagesPerSecond: number;
  readonly mebibytesPerSecond: number;
}

/** A reference server holding idle IMAP sessions (imap-idle-footprint.ts). */
export interface IdleFigures {
  /** e.g. "Dovecot, imap-hibernate". */
  readonly system: string;
  readonly sessions: number;
  readonly openRate: number;
  /** Growth per 1,000 sessions over all of them, and over the second half alone (imap-idle-footprint.ts). */
  readonly mibPerThousand: number;
  readonly marginalMibPerThousand: number;
  readonly afterMib: number;
  /** Milliseconds from the delivery to the last sampled session's EXISTS; NaN when not all heard it. */
  readonly pushMs: number;
  /** The sampled sessions: those of the users the delivery went to. */
  readonly pushWatched: number;
}

export interface ReferenceFigures {
  /** smtp-sink's ceiling: smtp-source → smtp-sink, messages/s. */
  readonly sinkRate?: number;
  /** Postfix: smtp-source until the last 250, and until the last message is in the Maildir, messages/s. */
  readonly postfixAcceptRate?: number;
  readonly postfixEndToEndRate?: number;
  /** The same with rspamd as Postfix's milter (issue 15's peer for the whole inbound pipeline). */
  readonly postfixRspamdAcceptRate?: number;
  readonly postfixRspamdEndToEndRate?: number;
  /** Dovecot: RETR/s and MB/s in one POP3 session over that Maildir (its first session). */
  readonly dovecotRetrRate?: number;
  /** Dovecot: the median RETR/s of the sessions after the first (pop3-retrieval.ts). */
  readonly dovecotLaterRetrRate?: number;
  readonly dovecotMegabytesPerSecond?: number;
  /** Dovecot over IMAP on that Maildir: the header sync and the full download of one session. */
  readonly dovecotImapHeaders?: ImapFetchFigures;
  readonly dovecotImapBodies?: ImapFetchFigures;
  /** Dovecot holding idle IMAP sessions, in each setup measured. */
  readonly dovecotIdle?: readonly IdleFigures[];
  /** Postfix relaying to a local sink: messages/s (first byte in to last at the sink) and connections per message. */
  readonly postfixRelayRate?: number;
  readonly postfixConnectionsPerMessage?: number;
  /** CPU per message of the reference systems' processes, by scenario. */
  readonly cpu?: readonly ReferenceCpu[];
}

export interface ScenarioContext {
  readonly options: BenchOptions;
  readonly bench: BenchStack;
  readonly useSmtpSource: boolean;
  readonly reference: ReferenceFigures;
  record(measurement: Measurement): void;
  note(text: string): void;
  /** A maildrop an earlier scenario filled, for the POP3 scenario to read. */
  filledMaildrop?: { readonly address: string; readonly count: number };
}

export const mebibyte = 1024 * 1024;
export const rate = (count: number, milliseconds: number): number => (milliseconds > 0 ? (count * 1000) / milliseconds : Number.NaN);
