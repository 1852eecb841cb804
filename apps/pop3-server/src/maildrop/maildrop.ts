/**
 * The maildrop as one session sees it: the messages listed at login,
 * numbered 1..n for the whole session, with deletion marks that take effect
 * only in the UPDATE state (RFC 1939 §5, §6).
 */
import { Pop3ResponseError } from '@mail/pop3';
import type { MailboxEntry } from '@mail/contracts';

/** One message of the maildrop with its session-wide number. */
export interface MaildropMessage {
  /** RFC 1939 §5: message numbers start at 1 and do not change during the session. */
  readonly number: number;
  /** Stable unique id, also the UIDL (RFC 1939 §7). */
  readonly uid: string;
  /** Octets RETR sends before byte-stuffing (RFC 1939 §5: the exact size). */
  readonly size: number;
  readonly folder: string;
}

/** Number of messages and their total size, deleted ones excluded (RFC 1939 §5 STAT). */
export interface MaildropSummary {
  readonly count: number;
  readonly octets: number;
}

/**
 * Numbered messages with deletion marks. Marked messages are invisible to
 * STAT, LIST, UIDL, RETR and TOP until RSET unmarks them (RFC 1939 §5).
 */
export class Maildrop {
  readonly #messages: readonly MaildropMessage[];
  readonly #deleted = new Set<number>();

  /** Numbers the entries in the order mailbox-store listed them. */
  constructor(entries: readonly MailboxEntry[]) {
    this.#messages = entries.map((entry, index) => ({ number: index + 1, uid: entry.uid, size: entry.size, folder: entry.folder }));
  }

  /** Messages not marked as deleted, in number order. */
  visible(): MaildropMessage[] {
    return this.#messages.filter((message) => !this.#deleted.has(message.number));
  }

  /** Messages not marked as deleted whose number is above `number`, in number order. */
  *visibleAfter(number: number): Generator<MaildropMessage> {
    for (let index = Math.max(number, 0); index < this.#messages.length; index += 1) {
      const message = this.#messages[index];
      if (message !== undefined && !this.#deleted.has(message.number)) yield message;
    }
  }

  /** The drop listing of STAT and the counts of the LIST and PASS replies. */
  summary(): MaildropSummary {
    const visible = this.visible();
    return { count: visible.length, octets: visible.reduce((sum, message) => sum + message.size, 0) };
  }

  /**
   * The message with this number, if it exists and is not marked as deleted.
   *
   * @throws Pop3ResponseError `no such message` or `message n already deleted`
   *   (RFC 1939 §5: a deleted message may not be referenced).
   */
  get(number: number): MaildropMessage {
    const message = this.#messages[number - 1];
    if (message === undefined || number < 1) {
      const count = this.#messages.length;
      throw new Pop3ResponseError(`no such message, only ${count} message${count === 1 ? '' : 's'} in maildrop`);
    }
    if (this.#deleted.has(number)) throw new Pop3ResponseError(`message ${number} already deleted`);
    return message;
  }

  /** Marks a message as deleted (RFC 1939 §5 DELE); throws as {@link get}. */
  markDeleted(number: number): MaildropMessage {
    const message = this.get(number);
    this.#deleted.add(number);
    return message;
  }

  /** Unmarks every message (RFC 1939 §5 RSET); returns how many were marked. */
  reset(): number {
    const count = this.#deleted.size;
    this.#deleted.clear();
    return count;
  }

  /** Uids of the marked messages, to expunge in the UPDATE state (RFC 1939 §6). */
  deletedUids(): string[] {
    return this.#messages.filter((message) => this.#deleted.has(message.number)).map((message) => message.uid);
  }
}

/** `N messages (M octets)`, the wording of RFC 1939's examples. */
export function describeSummary(summary: MaildropSummary): string {
  return `${summary.count} message${summary.count === 1 ? '' : 's'} (${summary.octets} octets)`;
}
