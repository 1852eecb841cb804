/**
 * @mail/pop3-client — the one POP3 client of the workspace (RFC 1939): a
 * session that logs in with USER/PASS, sends single-line and multi-line
 * commands and hands out bodies as they travelled (byte-stuffed) or
 * unstuffed with @mail/pop3's `unstuffMultiline`. For the bench, the crash
 * matrix and the end-to-end tests; the server side lives in apps/pop3-server.
 */
export { Pop3ConnectionError, Pop3ProtocolError, Pop3ReplyError } from './errors';
export { countMessages, Pop3Client, RetrievedMessage, type Pop3ClientOptions } from './pop3-client';
