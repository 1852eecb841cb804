/**
 * One message's FETCH items (RFC 9051 §6.4.5, §7.5.2) from what the store
 * keeps about it (messages.fetch: flags, internal date, size, header) and,
 * when an item needs the MIME structure (BODYSTRUCTURE, BODY, a section
 * below the whole message), a streaming scan of its octets (@mail/imap
 * MimeScanner: bounded memory whatever the size). Section octets are not
 * read here: each becomes a `stream` source, a byte range of the stored
 * message the session copies to the socket chunk by chunk — except a
 * HEADER.FIELDS subset, which is filtered in memory (a header is small).
 */
import type { MessageMeta } from '@mail/contracts';
import {
  filterHeaderFields,
  formatSectionItemName,
  ImapResponseError,
  MimeScanner,
  partialRange,
  resolveSection,
  type FetchItem,
  type FetchResponseItem,
  type MimePart,
  type Section,
  type SectionContent,
} from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';

/** A byte range of a stored message, written to the client by streaming. */
export interface StoredRange {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/** What reads a stored message's octets: mailbox-store, or a batch read ahead (fetch-batches.ts). */
export type MessageReader = Pick<MailboxStoreClient, 'readRange'>;

/** Largest header read into memory for HEADER.FIELDS (RFC 5322 headers are far smaller in practice). */
const MAX_FILTERED_HEADER = 1024 * 1024;

type SectionItem = Extract<FetchItem, { kind: 'section' }>;

/** Whether the items need the message's MIME structure (a scan of its octets). */
export function needsStructure(items: readonly FetchItem[]): boolean {
  return items.some(
    (item) =>
      item.kind === 'BODYSTRUCTURE' ||
      item.kind === 'BODY' ||
      item.kind === 'RFC822.HEADER' ||
      item.kind === 'RFC822.TEXT' ||
      (item.kind === 'section' && (item.section.part.length > 0 || item.section.text !== undefined)),
  );
}

/** RFC 9051 §6.4.5: BODY[...] without .PEEK, RFC822 and RFC822.TEXT set \Seen. */
export function setsSeen(items: readonly FetchItem[]): boolean {
  return items.some((item) => (item.kind === 'section' && !item.peek) || item.kind === 'RFC822' || item.kind === 'RFC822.TEXT');
}

/** Scans a stored message's MIME structure chunk by chunk. */
export async function scanStructure(store: MessageReader, user: string, meta: MessageMeta): Promise<MimePart> {
  const scanner = new MimeScanner();
  for await (const chunk of store.readRange(user, meta.key, 0, meta.size)) scanner.push(chunk);
  return scanner.end();
}

/** ISO 8601 with its offset to the (epoch, offset) pair INTERNALDATE is written from. */
function zoned(iso: string): { epochMs: number; offsetMinutes: number } {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  const offsetMinutes = match === null ? 0 : (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  return { epochMs: Date.parse(iso), offsetMinutes };
}

/** What building a message's items needs. */
export interface MessageSource {
  readonly user: string;
  readonly meta: MessageMeta;
  /** The scanned structure when needsStructure() said so. */
  readonly structure: MimePart | undefined;
  /** Include the UID item (UID FETCH, RFC 9051 §6.4.9). */
  readonly withUid: boolean;
  /** Include FLAGS though not asked (\Seen was just set, RFC 9051 §6.4.5). */
  readonly withFlags: boolean;
  /** Include MODSEQ though not asked (RFC 7162 §3.1.4.1 CHANGEDSINCE; §3.1: \Seen just set with CONDSTORE on). */
  readonly withModseq: boolean;
}

/** The response items of one message, in the order asked (UID, FLAGS and MODSEQ first). */
export async function messageItems(store: MessageReader, items: readonly FetchItem[], source: MessageSource): Promise<FetchResponseItem<StoredRange>[]> {
  const { meta } = source;
  const out: FetchResponseItem<StoredRange>[] = [];
  if (source.withUid || items.some((item) => item.kind === 'UID')) out.push({ kind: 'UID', uid: meta.uid });
  if (source.withFlags || items.some((item) => item.kind === 'FLAGS')) out.push({ kind: 'FLAGS', flags: meta.flags });
  if (source.withModseq || items.some((item) => item.kind === 'MODSEQ')) out.push({ kind: 'MODSEQ', modseq: BigInt(meta.modseq) });
  for (const item of items) {
    switch (item.kind) {
      case 'UID':
      case 'FLAGS':
      case 'MODSEQ':
        break;
      case 'INTERNALDATE':
        out.push({ kind: 'INTERNALDATE', date: zoned(meta.internalDate) });
        break;
      case 'RFC822.SIZE':
        out.push({ kind: 'RFC822.SIZE', size: meta.size });
        break;
      case 'ENVELOPE':
        out.push({ kind: 'ENVELOPE', envelope: envelopeOf(meta, source.structure) });
        break;
      case 'BODYSTRUCTURE':
      case 'BODY':
        out.push({ kind: item.kind, part: source.structure as MimePart });
        break;
      case 'RFC822':
        out.push({ kind: 'section', name: 'RFC822', content: await sectionContent(store, source, { part: [] }) });
        break;
      case 'RFC822.HEADER':
        out.push({ kind: 'section', name: 'RFC822.HEADER', content: await sectionContent(store, source, { part: [], text: 'HEADER' }) });
        break;
      case 'RFC822.TEXT':
        out.push({ kind: 'section', name: 'RFC822.TEXT', content: await sectionContent(store, source, { part: [], text: 'TEXT' }) });
        break;
      case 'section':
        out.push(await sectionItem(store, source, item));
        break;
      case 'BINARY.SIZE':
        throw binaryRefused();
    }
  }
  return out;
}

async function sectionItem(store: MessageReader, source: MessageSource, item: SectionItem): Promise<FetchResponseItem<StoredRange>> {
  if (item.binary) throw binaryRefused();
  return { kind: 'section', name: formatSectionItemName(item), content: await sectionContent(store, source, item.section, item.partial) };
}

/** The octets of a section, as a stored range to stream, or filtered header bytes, or NIL for a part that does not exist. */
async function sectionContent(store: MessageReader, source: MessageSource, section: Section, partial?: { origin: number; length: number }): Promise<SectionContent<StoredRange>> {
  const { meta, structure } = source;
  // The whole message needs no structure: [0, size)
  const resolved = structure === undefined ? ({ kind: 'range', start: 0, end: meta.size } as const) : resolveSection(structure, section);
  if (resolved.kind === 'missing') return { kind: 'nil' };
  if (resolved.kind === 'range') {
    const cut = partialRange(resolved.end - resolved.start, partial);
    return { kind: 'stream', size: cut.end - cut.start, source: { key: meta.key, start: resolved.start + cut.start, end: resolved.start + cut.end } };
  }
  if (resolved.end - resolved.start > MAX_FILTERED_HEADER) throw new ImapResponseError('NO', 'The header is too large to filter', { code: 'LIMIT', userFault: false });
  const chunks: Buffer[] = [];
  for await (const chunk of store.readRange(source.user, meta.key, resolved.start, resolved.end)) chunks.push(chunk);
  const filtered = filterHeaderFields(Buffer.concat(chunks), resolved.fields, resolved.exclude);
  const cut = partialRange(filtered.length, partial);
  return { kind: 'bytes', data: filtered.subarray(cut.start, cut.end) };
}

/** ENVELOPE from the scanned structure, or from the stored header alone (messages.fetch with `header`). */
function envelopeOf(meta: MessageMeta, structure: MimePart | undefined): NonNullable<MimePart['envelope']> {
  if (structure?.envelope !== undefined) return structure.envelope;
  const scanner = new MimeScanner();
  scanner.push(Buffer.from(meta.header ?? '', 'base64'));
  const root = scanner.end();
  return root.envelope as NonNullable<MimePart['envelope']>;
}

function binaryRefused(): ImapResponseError {
  // RFC 3516 is not advertised: BINARY is a command this server does not know
  return new ImapResponseError('BAD', 'BINARY is not supported', { userFault: true });
}
