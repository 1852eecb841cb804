// @mail/smtp: the SMTP wire protocol without sockets or I/O. Grammar of
// commands and paths (RFC 5321, 6531, 3030, 3207, 4954), reply codes and
// serialization (RFC 5321 §4.2, RFC 3463, RFC 2034), the framing of
// command lines, DATA (dot-stuffing, smuggling-safe end of data) and BDAT,
// and the server side of the AUTH exchange (SASL PLAIN and LOGIN, RFC 4954).
// Used by the server (apps/smtp-ingress) and the client (apps/outbound-relay).

export * from './reply-codes';
export { formatReply, normalizeEnhanced, SmtpReplyError, MAX_REPLY_LINE } from './reply';
export type { SmtpReply, SmtpReplyErrorOptions } from './reply';
export { parseReversePath, parseForwardPath, parseMailbox, addressReplyError, AddressSyntaxError, MAX_LOCAL_PART_OCTETS, MAX_PATH_OCTETS } from './address';
export type { Mailbox, ReversePath, ForwardPath, PathOptions, PathKind } from './address';
export { isValidDomain, parseAddressLiteral, isIPv4, isIPv6, MAX_DOMAIN_OCTETS } from './domain';
export type { AddressLiteral } from './domain';
export { parseEsmtpParams, decodeXtext, encodeXtext } from './esmtp-params';
export type { EsmtpParams } from './esmtp-params';
export { parseCommand, MAX_COMMAND_LINE, MAX_AUTH_LINE } from './command-parser';
export type { SmtpCommand, CommandOptions } from './command-parser';
export { formatCommand } from './command-writer';
export type { ClientCommand, OutgoingParams } from './command-writer';
export { LineReader } from './line-reader';
export type { LineEvent } from './line-reader';
export { DotUnstuffer, MAX_TEXT_LINE } from './data-decoder';
export type { UnstuffResult } from './data-decoder';
export { DotStuffer, dotStuff } from './data-encoder';
export { BdatReader } from './bdat-reader';
export type { BdatResult } from './bdat-reader';
export { ReplyParser, SmtpProtocolError } from './reply-parser';
export { parseEhloCapabilities } from './ehlo-capabilities';
export type { EhloCapabilities } from './ehlo-capabilities';
export { decodeSaslInitialResponse, parseSaslResponse, formatSaslChallenge, parseSaslPlain, parseSaslLoginField, saslCancelled, SaslLoginPrompt, MAX_SASL_PLAIN_FIELD } from './sasl';
export type { SaslResponse, SaslPlainCredentials } from './sasl';
