// Sequence sets (RFC 9051 §9 `sequence-set`): `1:3,5,7:*`, and `$`, the
// result saved by SEARCH RETURN (SAVE) (RFC 5182 §2.1). Parse, resolve
// against a mailbox (`*` is the largest number in use), test membership,
// enumerate with a bound, and format compact sets for UIDPLUS (RFC 4315 §3)
// and VANISHED (RFC 7162 §3.2.10).

import { ImapResponseError, syntaxError } from './response-error';

/** One element as the client wrote it; `'*'` is the largest number in use. */
export interface SequenceRange {
  readonly start: number | '*';
  readonly end: number | '*';
}

/** A parsed sequence set. */
export type SequenceSet = { readonly kind: 'saved' } | { readonly kind: 'ranges'; readonly ranges: readonly SequenceRange[] };

/**
 * A resolved set: sorted, non-overlapping, non-adjacent closed intervals as a
 * flat list `[lo0, hi0, lo1, hi1, ...]`.
 */
export type NormalizedSet = readonly number[];

/** RFC 9051 §9: nz-number is a non-zero unsigned 32-bit integer. */
export const MAX_NZ_NUMBER = 4_294_967_295;

const NZ_NUMBER = /^[1-9][0-9]{0,9}$/;

/** Parses an nz-number (RFC 9051 §9), or undefined when `text` is not one. */
export function parseNzNumber(text: string): number | undefined {
  if (!NZ_NUMBER.test(text)) return undefined;
  const value = Number(text);
  return value <= MAX_NZ_NUMBER ? value : undefined;
}

function parseSeqNumber(text: string): number | '*' | undefined {
  return text === '*' ? '*' : parseNzNumber(text);
}

/**
 * Parses a sequence set. RFC 9051 §9: `sequence-set = (seq-number /
 * seq-range) ["," sequence-set]`, `seq-range = seq-number ":" seq-number`;
 * RFC 5182 §2.1: `$` alone is the saved search result.
 *
 * @throws ImapResponseError BAD on any syntax error.
 */
export function parseSequenceSet(text: string): SequenceSet {
  if (text === '$') return { kind: 'saved' };
  if (text === '') throw syntaxError('Empty sequence set');
  const ranges: SequenceRange[] = [];
  for (const element of text.split(',')) {
    const colon = element.indexOf(':');
    const start = parseSeqNumber(colon < 0 ? element : element.slice(0, colon));
    const end = colon < 0 ? start : parseSeqNumber(element.slice(colon + 1));
    if (start === undefined || end === undefined) throw syntaxError(`Invalid sequence set element "${element.slice(0, 40)}"`);
    ranges.push({ start, end });
  }
  return { kind: 'ranges', ranges };
}

/** How `*` and numbers beyond the mailbox are treated when resolving. */
export interface ResolveOptions {
  /** The largest number in use: the message count for sequence numbers, the highest UID for UIDs; 0 for an empty mailbox. */
  readonly max: number;
  /** `sequence`: numbers above `max` are an error (RFC 9051 §9 seq-number: BAD, including `*` in an empty mailbox); `uid`: they simply match nothing. */
  readonly kind: 'sequence' | 'uid';
  /** The saved result for `$` (RFC 5182 §2.1), already normalized; absent means empty. */
  readonly saved?: NormalizedSet;
}

/**
 * Resolves a set against a mailbox into a {@link NormalizedSet}. RFC 9051 §9:
 * `a:b` equals `b:a`; `*` is the largest number in use; RFC 9051 §6.4.9: a
 * UID range `n:*` includes the last message even when n is above its UID.
 *
 * @throws ImapResponseError BAD for a sequence number above the message count.
 */
export function resolveSequenceSet(set: SequenceSet, options: ResolveOptions): NormalizedSet {
  if (set.kind === 'saved') return options.saved ?? [];
  const intervals: [number, number][] = [];
  for (const range of set.ranges) {
    if ((range.start === '*' || range.end === '*') && options.max === 0) {
      if (options.kind === 'sequence') throw new ImapResponseError('BAD', 'The mailbox is empty: "*" names no message', { userFault: true });
      continue; // RFC 9051 §6.4.9: nothing to match in an empty mailbox
    }
    const a = range.start === '*' ? options.max : range.start;
    const b = range.end === '*' ? options.max : range.end;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    if (options.kind === 'sequence' && hi > options.max) throw new ImapResponseError('BAD', `No message with sequence number ${hi}`, { userFault: true });
    intervals.push([lo, hi]);
  }
  return normalizeIntervals(intervals);
}

/** Sorts and merges closed intervals into a {@link NormalizedSet}. */
export function normalizeIntervals(intervals: readonly (readonly [number, number])[]): NormalizedSet {
  const sorted = [...intervals].sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [lo, hi] of sorted) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] as number) + 1) out[last] = Math.max(out[last] as number, hi);
    else out.push(lo, hi);
  }
  return out;
}

/** Normalizes a list of numbers (any order, duplicates allowed). */
export function normalizeNumbers(numbers: readonly number[]): NormalizedSet {
  return normalizeIntervals(numbers.map((n) => [n, n] as const));
}

/** Whether `n` is in the set (binary search over the intervals). */
export function sequenceSetHas(set: NormalizedSet, n: number): boolean {
  let lo = 0;
  let hi = set.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (n < (set[2 * mid] as number)) hi = mid - 1;
    else if (n > (set[2 * mid + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
}

/** How many numbers the set holds. */
export function sequenceSetSize(set: NormalizedSet): number {
  let size = 0;
  for (let i = 0; i < set.length; i += 2) size += (set[i + 1] as number) - (set[i] as number) + 1;
  return size;
}

/**
 * The numbers of the set in ascending order, at most `limit` of them.
 *
 * @throws ImapResponseError NO [LIMIT] when the set holds more than `limit` numbers, before yielding any.
 */
export function* enumerateSequenceSet(set: NormalizedSet, limit: number): Generator<number> {
  if (sequenceSetSize(set) > limit) throw new ImapResponseError('NO', `The set names more than ${limit} messages`, { code: 'LIMIT', userFault: true });
  for (let i = 0; i < set.length; i += 2) for (let n = set[i] as number; n <= (set[i + 1] as number); n++) yield n;
}

/**
 * The members of `sortedValues` (ascending, e.g. a mailbox's UIDs) that the
 * set holds, in one merge pass: O(values + intervals), whatever the ranges span.
 */
export function* sequenceSetMembers(set: NormalizedSet, sortedValues: ArrayLike<number>): Generator<number> {
  let i = 0;
  for (let k = 0; k < sortedValues.length && i < set.length; k++) {
    const value = sortedValues[k] as number;
    while (i < set.length && value > (set[i + 1] as number)) i += 2;
    if (i < set.length && value >= (set[i] as number)) yield value;
  }
}

/**
 * Formats numbers as a compact sequence set: runs become `a:b`. Sorted and
 * deduplicated, unless `keepOrder` (RFC 4315 §3: COPYUID's two sets
 * correspond element by element), where only ascending runs are joined.
 */
export function formatSequenceSet(numbers: readonly number[] | NormalizedSet, options: { keepOrder?: boolean } = {}): string {
  const values = options.keepOrder === true ? numbers : [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] as number) === (values[j] as number) + 1) j++;
    parts.push(j === i ? `${values[i]}` : `${values[i]}:${values[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Formats a {@link NormalizedSet} (e.g. for VANISHED, RFC 7162 §3.2.10). */
export function formatNormalizedSet(set: NormalizedSet): string {
  const parts: string[] = [];
  for (let i = 0; i < set.length; i += 2) parts.push(set[i] === set[i + 1] ? `${set[i]}` : `${set[i]}:${set[i + 1]}`);
  return parts.join(',');
}
