/**
 * @mail/tcp-session — the connection side the mailbox-reading services
 * (pop3-server, imap-server) share: the listener (one session per
 * connection, drained on shutdown), a framed transport (input queued unit by
 * unit with backpressure, output with backpressure, the inactivity timer,
 * STARTTLS/STLS in place), the implicit-TLS handshake (RFC 8314 §3.3) and
 * the errors that end a session when no reply can be written any more.
 * The protocols' grammars stay in @mail/pop3 and @mail/imap.
 */
export { FramedTransport, type FramedTransportOptions, type InputFramer } from './framed-transport';
export { SessionListener, type ListenedSession, type ListenerLog, type SessionListenerOptions } from './session-listener';
export { ConnectionClosedError, ResponseInterruptedError } from './session-errors';
