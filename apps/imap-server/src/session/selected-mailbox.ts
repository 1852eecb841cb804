/**
 * The mailbox a session has selected, as the session has told the client
 * about it (RFC 9051 §2.3.1): its UIDVALIDITY, and the UIDs in message
 * sequence number order — number n is the n-th UID here until the session
 * itself reports an EXPUNGE or a new EXISTS. Only UIDs are kept (4 octets
 * each, no flags): an IDLE session on a large mailbox stays small — and,
 * for the messages changed since the session last took changes in, the
 * modseq of the flags the session itself reported, so that its own STORE
 * does not come back as an unsolicited FETCH. Pure data, no I/O:
 * mailbox-sync.ts reads the store and calls the updates here.
 */
import { ImapResponseError, normalizeIntervals, resolveSequenceSet, sequenceSetMembers, type NormalizedSet, type SequenceSet } from '@mail/imap';

/** A message as a command names it. */
export interface MessageRef {
  readonly seq: number;
  readonly uid: number;
}

/** The folder's state as SELECT reports it. */
export interface MailboxHeader {
  readonly name: string;
  readonly readOnly: boolean;
  readonly uidValidity: number;
}

export class SelectedMailbox {
  readonly name: string;
  readonly readOnly: boolean;
  readonly uidValidity: number;
  uidNext: number;
  /** The modseq up to which the session has taken in the changes (RFC 7162 §3.1.1). */
  highestModseq: number;
  #uids: Uint32Array;
  #count: number;
  /** RFC 5182 SEARCHRES: `$`, the UIDs saved by the last SEARCH RETURN (SAVE). */
  saved: NormalizedSet = [];
  /** UID → modseq of the flags the session itself told the client, above highestModseq only (none most of the time: made on first use). */
  #reported: Map<number, number> | undefined;

  constructor(header: MailboxHeader, uids: readonly number[], uidNext: number, highestModseq: number) {
    this.name = header.name;
    this.readOnly = header.readOnly;
    this.uidValidity = header.uidValidity;
    this.uidNext = uidNext;
    this.highestModseq = highestModseq;
    this.#uids = Uint32Array.from(uids);
    this.#count = uids.length;
  }

  /** RFC 9051 §7.4.1 EXISTS: messages the client knows of. */
  get exists(): number {
    return this.#count;
  }

  /** The highest UID the client knows of (0 when empty). */
  get lastUid(): number {
    return this.#count === 0 ? 0 : (this.#uids[this.#count - 1] as number);
  }

  uidAt(seq: number): number | undefined {
    return seq >= 1 && seq <= this.#count ? this.#uids[seq - 1] : undefined;
  }

  /** The sequence number of a UID, or undefined when the client does not know it. */
  seqOf(uid: number): number | undefined {
    let lo = 0;
    let hi = this.#count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const value = this.#uids[mid] as number;
      if (value === uid) return mid + 1;
      if (value < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /**
   * The messages a sequence set names, in ascending order (RFC 9051 §6.4.9:
   * with UID, UIDs that do not exist are ignored; without, a number past
   * the last message is BAD).
   *
   * @throws ImapResponseError BAD for a sequence number beyond EXISTS.
   */
  resolve(set: SequenceSet, byUid: boolean): MessageRef[] {
    const refs: MessageRef[] = [];
    if (byUid) {
      const wanted = resolveSequenceSet(set, { max: this.lastUid, kind: 'uid', saved: this.saved });
      for (const uid of sequenceSetMembers(wanted, this.#uids.subarray(0, this.#count))) refs.push({ seq: this.seqOf(uid) as number, uid });
      return refs;
    }
    if (set.kind === 'saved') return this.resolve(set, true);
    const wanted = resolveSequenceSet(set, { max: this.#count, kind: 'sequence' });
    for (let i = 0; i < wanted.length; i += 2) {
      for (let seq = wanted[i] as number; seq <= (wanted[i + 1] as number); seq++) refs.push({ seq, uid: this.#uids[seq - 1] as number });
    }
    return refs;
  }

  /** The UIDs the client knows of within the ranges (one merge pass, whatever the ranges span). */
  knownWithin(ranges: readonly { readonly first: number; readonly last: number }[]): number[] {
    const set = normalizeIntervals(ranges.map((r) => [Math.min(r.first, r.last), Math.max(r.first, r.last)] as const));
    return [...sequenceSetMembers(set, this.#uids.subarray(0, this.#count))];
  }

  /**
   * The numbers of a UID set that are not UIDs the client knows of, as a
   * set: what VANISHED (EARLIER) may name (RFC 7162 §3.2.5.1, §3.2.6) — a
   * message the session still shows is reported by its own VANISHED when
   * the session takes its expunge in.
   */
  unknownWithin(set: NormalizedSet): NormalizedSet {
    const out: number[] = [];
    const known = sequenceSetMembers(set, this.#uids.subarray(0, this.#count));
    let next = known.next();
    for (let i = 0; i < set.length; i += 2) {
      let lo = set[i] as number;
      const hi = set[i + 1] as number;
      // known UIDs come ascending, each inside the set: those up to `hi` cut this interval
      for (; !next.done && next.value <= hi; next = known.next()) {
        if (next.value > lo) out.push(lo, next.value - 1);
        lo = next.value + 1;
      }
      if (lo <= hi) out.push(lo, hi);
    }
    return out;
  }

  /**
   * The session told the client the flags of `uid` as they are at `modseq`
   * (a STORE's answer, a FETCH with FLAGS). Only a state newer than what
   * the session has taken in is kept: an older one cannot come back.
   */
  noteReported(uid: number, modseq: number): void {
    if (modseq <= this.highestModseq || modseq <= (this.#reported?.get(uid) ?? 0)) return;
    (this.#reported ??= new Map()).set(uid, modseq);
  }

  /**
   * Whether the client already has this state of the message from the
   * session itself: its reported modseq is this one or later. A change by
   * anyone after it has a higher modseq (RFC 7162 §3.1.1), so it is never
   * hidden (RFC 9051 §7.5.2).
   */
  wasReported(message: { readonly uid: number; readonly modseq: number }): boolean {
    return (this.#reported?.get(message.uid) ?? 0) >= message.modseq;
  }

  /**
   * The session has taken in every change up to `modseq` (mailbox-sync.ts
   * synchronize). Later changes carry higher modseqs, so the reports at or
   * below it are no longer needed.
   */
  takenInUpTo(modseq: number): void {
    this.highestModseq = modseq;
    if (this.#reported === undefined) return;
    for (const [uid, reported] of this.#reported) if (reported <= modseq) this.#reported.delete(uid);
    if (this.#reported.size === 0) this.#reported = undefined;
  }

  /** Appends UIDs above the last one (new messages the session is about to announce with EXISTS). */
  append(uids: readonly number[]): void {
    const fresh = uids.filter((uid) => uid > this.lastUid).sort((a, b) => a - b);
    if (fresh.length === 0) return;
    if (this.#count + fresh.length > this.#uids.length) {
      const grown = new Uint32Array(Math.max(16, (this.#count + fresh.length) * 2));
      grown.set(this.#uids.subarray(0, this.#count));
      this.#uids = grown;
    }
    for (const uid of fresh) this.#uids[this.#count++] = uid;
    this.uidNext = Math.max(this.uidNext, (fresh[fresh.length - 1] as number) + 1);
  }

  /**
   * Removes expunged UIDs and returns the sequence numbers to report, in the
   * order to send them (RFC 9051 §7.5.1: each EXPUNGE renumbers the messages
   * after it at once, so reporting from the highest number down keeps every
   * number as the client knows it).
   */
  remove(uids: Iterable<number>): number[] {
    const seqs: number[] = [];
    for (const uid of uids) {
      const seq = this.seqOf(uid);
      if (seq !== undefined) seqs.push(seq);
    }
    seqs.sort((a, b) => b - a);
    for (const seq of seqs) {
      this.#uids.copyWithin(seq - 1, seq, this.#count);
      this.#count -= 1;
    }
    return seqs;
  }

  /** @throws ImapResponseError NO [READ-ONLY] when the mailbox was opened with EXAMINE. */
  assertWritable(): void {
    if (this.readOnly) throw new ImapResponseError('NO', 'The mailbox is read-only (EXAMINE)', { code: 'READ-ONLY', userFault: true });
  }
}

/** UID ranges for the contracts (at most `max` ranges), from ascending UIDs. */
export function uidRanges(uids: readonly number[]): { first: number; last: number }[] {
  const ranges: { first: number; last: number }[] = [];
  for (const uid of uids) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && uid === last.last + 1) last.last = uid;
    else ranges.push({ first: uid, last: uid });
  }
  return ranges;
}
