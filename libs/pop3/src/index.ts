// @mail/pop3: the POP3 wire protocol without sockets (RFC 1939, with the
// extensions of RFC 2449, RFC 2595 STLS, RFC 3206 response codes and RFC
// 5034 SASL).
//
// The library frames client input into lines, parses lines into a typed
// command union, serializes every reply line (+OK / -ERR with extended
// response codes), byte-stuffs multi-line bodies, and implements the
// self-contained algorithms of the protocol: TOP selection, APOP digests,
// the CAPA list and SASL PLAIN decoding. Sessions, state, storage and I/O
// belong to apps/pop3-server.
//
// Typical flow in a session:
//   CommandLineSplitter.push(chunk) -> parsePop3Command(line.text)
//   -> state gate -> handler (throws Pop3ResponseError to refuse)
//   -> ok()/err()/formatListing()/MultilineEncoder -> socket

export { CommandLineSplitter, type Pop3InputLine } from './command-line-splitter';
export { parsePop3Command, MAX_POP3_COMMAND_LINE, MAX_POP3_ARGUMENT_LENGTH, MAX_POP3_NUMBER, type Pop3Command, type Pop3CommandKind } from './command-parser';
export { ok, err, formatStatusLine, Pop3ResponseCode, Pop3ResponseError, MAX_POP3_RESPONSE_LINE, type Pop3ResponseErrorOptions, type Pop3Status } from './response';
export { MultilineEncoder, encodeMultiline, encodeMultilineResponse, unstuffMultiline, formatListing } from './multiline';
export { formatDropListing, formatScanListing, formatUniqueIdListing, MAX_POP3_UNIQUE_ID_LENGTH } from './listings';
export { TopExtractor, extractTop } from './top';
export { apopDigest, verifyApopDigest, makeApopTimestamp } from './apop';
export { formatCapabilities, type Pop3CapabilityOptions } from './capabilities';
export { decodeSaslInitialResponse, parseSaslContinuation, formatSaslChallenge, type SaslContinuation } from './sasl-response';
export { decodeSaslPlain, parseSaslPlainMessage, MAX_SASL_PLAIN_FIELD, type SaslPlainCredentials } from './sasl-plain';
