// Untagged data responses about the server and mailboxes (RFC 9051 §7.2-7.4):
// CAPABILITY, ENABLED (RFC 5161), FLAGS, EXISTS, EXPUNGE, VANISHED (RFC 7162
// §3.2.10), LIST/LSUB (RFC 5258 extended data, RFC 6154 attributes), STATUS,
// SEARCH and ESEARCH (RFC 4731), NAMESPACE, QUOTA/QUOTAROOT (RFC 9208), ID
// (RFC 2971). Mailbox names go out in the client's encoding.

import type { StatusItem } from './command';
import { encodeMailboxName } from './mailbox-name';
import { formatNormalizedSet, type NormalizedSet } from './sequence-set';
import { WireWriter, type WireStringOptions } from './wire-string';

const CRLF = '\r\n';

/** RFC 9051 §7.2.2 CAPABILITY. */
export function formatCapability(capabilities: readonly string[]): string {
  return `* CAPABILITY ${capabilities.join(' ')}${CRLF}`;
}

/** RFC 5161 §3.2: `* ENABLED` with the capabilities this ENABLE turned on (possibly none). */
export function formatEnabled(capabilities: readonly string[]): string {
  return `* ENABLED${capabilities.map((c) => ` ${c}`).join('')}${CRLF}`;
}

/** RFC 9051 §7.3.5 FLAGS: the flags defined in the mailbox. */
export function formatFlags(flags: readonly string[]): string {
  return `* FLAGS (${flags.join(' ')})${CRLF}`;
}

/** RFC 9051 §7.4.1 EXISTS. */
export function formatExists(count: number): string {
  return `* ${count} EXISTS${CRLF}`;
}

/** RFC 9051 §7.5.1 EXPUNGE (a sequence number). */
export function formatExpunge(sequenceNumber: number): string {
  return `* ${sequenceNumber} EXPUNGE${CRLF}`;
}

/** RFC 7162 §3.2.10: `* VANISHED [(EARLIER)] uid-set`, replacing EXPUNGE once QRESYNC is enabled. */
export function formatVanished(uids: NormalizedSet, earlier: boolean): string {
  return `* VANISHED ${earlier ? '(EARLIER) ' : ''}${formatNormalizedSet(uids)}${CRLF}`;
}

/** One mailbox of a LIST answer. */
export interface ListEntry {
  /** Name attributes, e.g. `\HasNoChildren`, `\Subscribed`, `\Junk` (RFC 9051 §7.3.1, RFC 5258 §3, RFC 6154 §2). */
  readonly attributes: readonly string[];
  /** The hierarchy delimiter, or null for a flat namespace. */
  readonly delimiter: string | null;
  readonly name: string;
  /** RFC 5258 §4: CHILDINFO extended data, e.g. `['SUBSCRIBED']`. */
  readonly childInfo?: readonly string[];
  /** RFC 9051 §7.3.1: OLDNAME extended data after a RENAME. */
  readonly oldName?: string;
}

/** `* LIST (attributes) "delimiter" name [extended data]` (RFC 9051 §7.3.1), or LSUB for IMAP4rev1 LSUB (RFC 3501 §7.2.3). */
export function formatListEntry(entry: ListEntry, options: WireStringOptions, response: 'LIST' | 'LSUB' = 'LIST'): Buffer {
  const w = new WireWriter(options).raw(`* ${response} (${entry.attributes.join(' ')}) `);
  w.nstring(entry.delimiter);
  w.raw(' ').astring(encodeMailboxName(entry.name, options));
  const extended: string[] = [];
  if (entry.childInfo !== undefined && entry.childInfo.length > 0) extended.push(`"CHILDINFO" (${entry.childInfo.map((c) => `"${c}"`).join(' ')})`);
  if (extended.length > 0 || entry.oldName !== undefined) {
    w.raw(` (${extended.join(' ')}`);
    if (entry.oldName !== undefined) {
      w.raw(`${extended.length > 0 ? ' ' : ''}"OLDNAME" (`)
        .astring(encodeMailboxName(entry.oldName, options))
        .raw(')');
    }
    w.raw(')');
  }
  return w.raw(CRLF).toBuffer();
}

/** The values a STATUS response reports. */
export type StatusValues = Partial<Record<StatusItem, number | bigint>>;

/** RFC 9051 §7.3.2: `* STATUS name (item value ...)`, items in the order given. */
export function formatStatus(name: string, values: StatusValues, options: WireStringOptions): Buffer {
  const items = Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`);
  return new WireWriter(options)
    .raw('* STATUS ')
    .astring(encodeMailboxName(name, options))
    .raw(` (${items.join(' ')})${CRLF}`)
    .toBuffer();
}

/** RFC 3501 §7.2.5 SEARCH (IMAP4rev1 clients), with RFC 7162 §3.1.5 `(MODSEQ n)` when MODSEQ was searched. */
export function formatSearch(numbers: readonly number[], highestModseq?: bigint): string {
  const list = numbers.length === 0 ? '' : ` ${numbers.join(' ')}`;
  return `* SEARCH${list}${highestModseq === undefined || numbers.length === 0 ? '' : ` (MODSEQ ${highestModseq})`}${CRLF}`;
}

/** The data of an ESEARCH response (RFC 4731 §3.1, RFC 9051 §7.3.4). */
export interface EsearchResult {
  readonly tag: string;
  readonly uid: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly all?: NormalizedSet;
  readonly count?: number;
  readonly modseq?: bigint;
}

/** `* ESEARCH (TAG "a1") UID MIN 2 MAX 9 ALL 2:4,9 COUNT 4`. RFC 4731 §3.1: ALL is omitted when nothing matched. */
export function formatEsearch(result: EsearchResult): Buffer {
  const w = new WireWriter({ utf8: false }).raw('* ESEARCH (TAG ').string(result.tag).raw(')');
  if (result.uid) w.raw(' UID');
  if (result.min !== undefined) w.raw(` MIN ${result.min}`);
  if (result.max !== undefined) w.raw(` MAX ${result.max}`);
  if (result.all !== undefined && result.all.length > 0) w.raw(` ALL ${formatNormalizedSet(result.all)}`);
  if (result.count !== undefined) w.raw(` COUNT ${result.count}`);
  if (result.modseq !== undefined) w.raw(` MODSEQ ${result.modseq}`);
  return w.raw(CRLF).toBuffer();
}

/** One namespace (RFC 9051 §7.3.3): prefix and delimiter. */
export interface NamespaceEntry {
  readonly prefix: string;
  readonly delimiter: string | null;
}

/** `* NAMESPACE (("" "/")) NIL NIL` (RFC 9051 §7.3.3): personal, other users', shared. */
export function formatNamespace(personal: readonly NamespaceEntry[], other: readonly NamespaceEntry[], shared: readonly NamespaceEntry[], options: WireStringOptions): Buffer {
  const w = new WireWriter(options).raw('* NAMESPACE');
  for (const group of [personal, other, shared]) {
    if (group.length === 0) {
      w.raw(' NIL');
      continue;
    }
    w.raw(' (');
    for (const entry of group) w.raw('(').string(encodeMailboxName(entry.prefix, options)).raw(' ').nstring(entry.delimiter).raw(')');
    w.raw(')');
  }
  return w.raw(CRLF).toBuffer();
}

/** One resource of a quota root (RFC 9208 §5.1): usage and limit in the resource's unit (STORAGE: KiB). */
export interface QuotaResource {
  readonly name: string;
  readonly usage: number | bigint;
  readonly limit: number | bigint;
}

/** RFC 9208 §5.1: `* QUOTA root (STORAGE usage limit ...)`. */
export function formatQuota(root: string, resources: readonly QuotaResource[], options: WireStringOptions): Buffer {
  return new WireWriter(options)
    .raw('* QUOTA ')
    .string(root)
    .raw(` (${resources.map((r) => `${r.name} ${r.usage} ${r.limit}`).join(' ')})${CRLF}`)
    .toBuffer();
}

/** RFC 9208 §5.2: `* QUOTAROOT mailbox root ...`. */
export function formatQuotaRoot(mailbox: string, roots: readonly string[], options: WireStringOptions): Buffer {
  const w = new WireWriter(options).raw('* QUOTAROOT ').astring(encodeMailboxName(mailbox, options));
  for (const root of roots) w.raw(' ').string(root);
  return w.raw(CRLF).toBuffer();
}

/** RFC 2971 §3.2: `* ID ("name" "value" ...)` or `* ID NIL`. */
export function formatId(parameters: readonly (readonly [string, string | null])[] | null, options: WireStringOptions): Buffer {
  const w = new WireWriter(options).raw('* ID ');
  if (parameters === null || parameters.length === 0) return w.raw(`NIL${CRLF}`).toBuffer();
  w.raw('(');
  parameters.forEach(([field, value], i) => {
    if (i > 0) w.raw(' ');
    w.string(field).raw(' ').nstring(value);
  });
  return w.raw(`)${CRLF}`).toBuffer();
}
