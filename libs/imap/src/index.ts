// @mail/imap: the IMAP wire protocol without sockets — IMAP4rev2 (RFC 9051),
// also reading the IMAP4rev1 syntax (RFC 3501) clients still use, with the
// extensions of issue 18 (LITERAL+/-, ENABLE, IDLE, UIDPLUS, MOVE,
// SPECIAL-USE, LIST-EXTENDED, LIST-STATUS, ESEARCH, SEARCHRES, CONDSTORE,
// QRESYNC, QUOTA, ID, NAMESPACE, BINARY, SASL-IR, UTF8=ACCEPT).
//
// The library frames client input into commands (literals included, every
// size bounded), parses them into a typed command union, resolves sequence
// sets, holds the SEARCH tree and its rules, serializes every response
// (status lines with response codes, data responses, FETCH with streamed
// literals, ENVELOPE and BODYSTRUCTURE), and scans a stored message's MIME
// structure once so that sections and partials are served by byte range.
// Sessions, state, storage and I/O belong to apps/imap-server.
//
// Typical flow in a session:
//   CommandReader.push(chunk) -> 'continue' (write continuation()) | 'refused' (write formatRefusal()) | 'command'
//     ('literal-start', 'literal-data': an APPEND message streamed out, when asked for)
//   -> parseCommand(raw, { utf8 }) (throws ImapResponseError)
//   -> state gate on command.kind -> one handler per command (throws ImapResponseError to refuse)
//   -> untagged data (mailbox-responses, encodeFetchResponse) -> formatStatusResponse / ok()

export { CommandReader, DEFAULT_COMMAND_READER_LIMITS, type CommandReaderEvent, type CommandReaderLimits, type RawCommand } from './command-reader';
export { CommandScanner, DEFAULT_STRUCTURE_LIMITS, type CommandStructureLimits } from './command-scanner';
export { parseCommand, isIdleDone, type CommandParseOptions } from './command-parser';
export { SYSTEM_FLAGS } from './command-arguments';
export type { AppendMessage, ImapCommand, ImapCommandKind, ListReturnOptions, ListSelectionOptions, QresyncParameters, StatusItem, StoreOperation } from './command';
export { ImapResponseError, syntaxError, type ImapRefusalStatus, type ImapResponseErrorOptions } from './response-error';
export { formatResponseCode, type BareResponseCode, type ResponseCode } from './response-codes';
export { formatStatusResponse, formatRefusal, ok, untagged, continuation, bye, sanitizeText, type ResponseStatus, type StatusResponse } from './response-encoder';
export { formatAstring, formatLiteral, formatNstring, formatString, isAtom, WireWriter, MAX_QUOTED_STRING, type WireStringOptions } from './wire-string';
export {
  parseSequenceSet,
  parseNzNumber,
  resolveSequenceSet,
  normalizeIntervals,
  normalizeNumbers,
  sequenceSetHas,
  sequenceSetSize,
  enumerateSequenceSet,
  sequenceSetMembers,
  formatSequenceSet,
  formatNormalizedSet,
  MAX_NZ_NUMBER,
  type NormalizedSet,
  type ResolveOptions,
  type SequenceRange,
  type SequenceSet,
} from './sequence-set';
export { decodeModifiedUtf7, encodeModifiedUtf7, decodeMailboxName, encodeMailboxName, normalizeInbox, listPatternMatcher, type MailboxNameOptions } from './mailbox-name';
export { parseSearchDate, parseDateTime, formatDateTime, parseHeaderDate, calendarDayOf, compareCalendarDays, type CalendarDay, type ZonedDateTime } from './imap-date';
export { compileSearch, containsCaseInsensitive, matchesDate, type DateComparison, type SearchContext, type SearchKey, type SearchableMessage } from './search-key';
export { SEARCH_CHARSETS, type SearchProgram, type SearchReturnOption } from './search-parser';
export { formatSection, formatSectionItemName, type FetchItem, type FetchRequest, type Partial, type Section, type SectionText } from './fetch-items';
export { encodeFetchResponse, joinFetchPieces, type FetchResponseItem, type FetchResponsePiece, type SectionContent } from './fetch-response';
export {
  formatCapability,
  formatEnabled,
  formatFlags,
  formatExists,
  formatExpunge,
  formatVanished,
  formatListEntry,
  formatStatus,
  formatSearch,
  formatEsearch,
  formatNamespace,
  formatQuota,
  formatQuotaRoot,
  formatId,
  type EsearchResult,
  type ListEntry,
  type NamespaceEntry,
  type QuotaResource,
  type StatusValues,
} from './mailbox-responses';
export { MimeScanner, DEFAULT_MIME_SCANNER_LIMITS, type MimeScannerLimits } from './mime-scanner';
export { isEncapsulatedMessage, DEFAULT_CONTENT_TYPE, type ContentDisposition, type ContentType, type EnvelopeFields, type MimeParameters, type MimePart } from './mime-structure';
export { parseContentType, parseContentDisposition, parameterValue } from './mime-header';
export { parseAddressList, writeEnvelope, type EnvelopeAddress } from './envelope';
export { writeBodyStructure } from './body-structure';
export { findPart, resolveSection, filterHeaderFields, partialRange, type SectionSource } from './section-range';
export { createTransferDecoder, decodeTransferEncoding, type TransferDecoder } from './transfer-decoder';
export { decodeInitialResponse, parseAuthenticateResponse, decodePlainCredentials, formatSaslChallenge, authenticationCancelled, type AuthenticateResponse, type SaslPlainCredentials } from './sasl';
