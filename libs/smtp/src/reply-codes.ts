// Named SMTP reply codes (RFC 5321 §4.2) and enhanced status codes
// (RFC 3463, RFC 2034), so no handler writes a bare number.
//
// Enhanced codes are given as "subject.detail" (e.g. "1.1"); `formatReply`
// prefixes the class from the reply code (RFC 2034 §4: the class must agree
// with the reply code), so one constant serves both 4xx and 5xx replies.

// --- Reply codes: RFC 5321 §4.2.2 unless noted -----------------------------

/** 211 System status, or system help reply. */
export const C211SystemStatus = 211;
/** 214 Help message. */
export const C214HelpMessage = 214;
/** 220 <domain> Service ready (greeting). */
export const C220ServiceReady = 220;
/** 221 <domain> Service closing transmission channel (QUIT). */
export const C221ServiceClosing = 221;
/** 235 Authentication succeeded (RFC 4954 §6). */
export const C235AuthSucceeded = 235;
/** 250 Requested mail action okay, completed. */
export const C250Ok = 250;
/** 251 User not local; will forward. */
export const C251UserNotLocalWillForward = 251;
/** 252 Cannot VRFY user, but will accept message and attempt delivery (RFC 5321 §3.5.3). */
export const C252CannotVerify = 252;
/** 334 Server challenge during AUTH (RFC 4954 §4). */
export const C334AuthContinue = 334;
/** 354 Start mail input; end with <CRLF>.<CRLF>. */
export const C354StartInput = 354;
/** 421 Service not available, closing transmission channel. */
export const C421ServiceNotAvailable = 421;
/** 432 A password transition is needed (RFC 4954 §6). */
export const C432PasswordTransitionNeeded = 432;
/** 450 Mailbox unavailable (temporary, e.g. busy or greylisted). */
export const C450MailboxUnavailableTemp = 450;
/** 451 Requested action aborted: local error in processing. */
export const C451LocalError = 451;
/** 452 Requested action not taken: insufficient system storage (also: too many recipients, RFC 5321 §4.5.3.1.10). */
export const C452InsufficientStorage = 452;
/** 454 Temporary authentication failure (RFC 4954 §6); TLS not available (RFC 3207 §4). */
export const C454TempAuthFailure = 454;
/** 455 Server unable to accommodate parameters. */
export const C455ParamsNotAccommodated = 455;
/** 500 Syntax error, command unrecognized (also: line too long, RFC 5321 §4.5.3.1.10). */
export const C500SyntaxError = 500;
/** 501 Syntax error in parameters or arguments. */
export const C501ParamSyntax = 501;
/** 502 Command not implemented. */
export const C502NotImplemented = 502;
/** 503 Bad sequence of commands. */
export const C503BadSequence = 503;
/** 504 Command parameter not implemented. */
export const C504ParamNotImplemented = 504;
/** 521 Host does not accept mail (RFC 7504 §3). */
export const C521NoMailAccepted = 521;
/** 530 Authentication required (RFC 4954 §6); must issue STARTTLS first (RFC 3207 §4). */
export const C530AuthRequired = 530;
/** 534 Authentication mechanism is too weak (RFC 4954 §6). */
export const C534AuthMechanismTooWeak = 534;
/** 535 Authentication credentials invalid (RFC 4954 §6). */
export const C535AuthCredentialsInvalid = 535;
/** 538 Encryption required for requested authentication mechanism (RFC 4954 §6). */
export const C538EncryptionRequiredForAuth = 538;
/** 550 Requested action not taken: mailbox unavailable (or policy rejection). */
export const C550MailboxUnavailable = 550;
/** 551 User not local. */
export const C551UserNotLocal = 551;
/** 552 Requested mail action aborted: exceeded storage allocation (message too big). */
export const C552ExceededStorage = 552;
/** 553 Requested action not taken: mailbox name not allowed. */
export const C553MailboxNameNotAllowed = 553;
/** 554 Transaction failed (or "no SMTP service here" as a greeting). */
export const C554TransactionFailed = 554;
/** 555 MAIL FROM/RCPT TO parameters not recognized or not implemented. */
export const C555ParamsNotRecognized = 555;
/** 556 Domain does not accept mail (RFC 7504 §3, null MX RFC 7505). */
export const C556DomainNoMail = 556;

// --- Enhanced status "subject.detail": RFC 3463 §3 unless noted ------------

/** X.0.0 Other undefined status. */
export const EsOther = '0.0';
/** X.1.0 Other address status (used with 250 for MAIL). */
export const EsAddressOther = '1.0';
/** X.1.1 Bad destination mailbox address. */
export const EsBadDestMailbox = '1.1';
/** X.1.2 Bad destination system address. */
export const EsBadDestSystem = '1.2';
/** X.1.3 Bad destination mailbox address syntax. */
export const EsBadDestSyntax = '1.3';
/** X.1.5 Destination address valid (used with 250 for RCPT). */
export const EsDestValid = '1.5';
/** X.1.7 Bad sender's mailbox address syntax. */
export const EsBadSenderSyntax = '1.7';
/** X.1.8 Bad sender's system address. */
export const EsBadSenderSystem = '1.8';
/** X.1.10 Recipient address has null MX (RFC 7505 §4.2). */
export const EsNullMx = '1.10';
/** X.2.0 Other or undefined mailbox status. */
export const EsMailboxOther = '2.0';
/** X.2.1 Mailbox disabled, not accepting messages. */
export const EsMailboxDisabled = '2.1';
/** X.2.2 Mailbox full. */
export const EsMailboxFull = '2.2';
/** X.2.3 Message length exceeds administrative limit. */
export const EsMessageTooLongForMailbox = '2.3';
/** X.3.0 Other or undefined mail system status. */
export const EsSystemOther = '3.0';
/** X.3.1 Mail system full. */
export const EsSystemFull = '3.1';
/** X.3.2 System not accepting network messages (e.g. shutting down). */
export const EsSystemNotAccepting = '3.2';
/** X.3.4 Message too big for system. */
export const EsMessageTooBig = '3.4';
/** X.4.2 Bad connection. */
export const EsBadConnection = '4.2';
/** X.4.7 Delivery time expired. */
export const EsDeliveryTimeExpired = '4.7';
/** X.5.0 Other or undefined protocol status. */
export const EsProtocolOther = '5.0';
/** X.5.1 Invalid command. */
export const EsInvalidCommand = '5.1';
/** X.5.2 Syntax error. */
export const EsSyntaxError = '5.2';
/** X.5.3 Too many recipients. */
export const EsTooManyRecipients = '5.3';
/** X.5.4 Invalid command arguments. */
export const EsInvalidArguments = '5.4';
/** X.5.6 Authentication exchange line is too long (RFC 4954 §6). */
export const EsAuthLineTooLong = '5.6';
/** X.6.0 Other or undefined media error. */
export const EsMediaOther = '6.0';
/** X.6.1 Media not supported. */
export const EsMediaNotSupported = '6.1';
/** X.6.7 Non-ASCII addresses not permitted for that sender/recipient (RFC 6531 §3.5, RFC 5248). */
export const EsNonAsciiAddress = '6.7';
/**
 * X.6.11 Bare CR or LF in message data. Not in RFC 3463; this is the code
 * large providers use ("550 5.6.11 ... BareLinefeedsAreIllegal").
 */
export const EsBareLineEnding = '6.11';
/** X.7.0 Other or undefined security status (530 5.7.0 Authentication required, RFC 4954 §6). */
export const EsSecurityOther = '7.0';
/** X.7.1 Delivery not authorized, message refused. */
export const EsDeliveryNotAuthorized = '7.1';
/** X.7.8 Authentication credentials invalid (RFC 4954 §6). */
export const EsAuthCredentialsInvalid = '7.8';
/** X.7.9 Authentication mechanism is too weak (RFC 4954 §6). */
export const EsAuthMechanismTooWeak = '7.9';
/** X.7.10 Encryption needed (RFC 5248). */
export const EsEncryptionNeeded = '7.10';
/** X.7.11 Encryption required for requested authentication mechanism (RFC 4954 §6). */
export const EsEncryptionRequiredForAuth = '7.11';
/** X.7.12 A password transition is needed (RFC 4954 §6). */
export const EsPasswordTransitionNeeded = '7.12';
/** X.7.13 User account disabled (RFC 5248). */
export const EsUserAccountDisabled = '7.13';
/** X.7.23 SPF validation failed (RFC 7372 §3.2). */
export const EsSpfFailed = '7.23';
/** X.7.24 SPF validation error (RFC 7372 §3.2). */
export const EsSpfError = '7.24';
/** X.7.25 Reverse DNS validation failed (RFC 7372 §3.3). */
export const EsReverseDnsFailed = '7.25';

// --- Reply classes: RFC 5321 §4.2.1 -----------------------------------------

/** 2yz: the requested action has been successfully completed. */
export function isPositiveCompletion(code: number): boolean {
  return code >= 200 && code < 300;
}

/** 3yz: accepted, awaiting further information (354, 334). */
export function isPositiveIntermediate(code: number): boolean {
  return code >= 300 && code < 400;
}

/** 4yz: temporary failure; the client should retry later. */
export function isTransientNegative(code: number): boolean {
  return code >= 400 && code < 500;
}

/** 5yz: permanent failure; the client must not repeat the same request. */
export function isPermanentNegative(code: number): boolean {
  return code >= 500 && code < 600;
}
