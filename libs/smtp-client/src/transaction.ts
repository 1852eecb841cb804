/**
 * One mail transaction on an open session (RFC 5321 §3.3): MAIL, RCPT for
 * every recipient, DATA with the dot-stuffed message (RFC 5321 §4.5.2).
 * With PIPELINING (RFC 2920 §3.1) MAIL and all RCPTs (and DATA, when the
 * request asks) go out in one write and their replies are read afterwards,
 * in order. DSN parameters (RFC 3461) go
 * along when the server offers DSN; a message the server cannot take (too
 * large, SMTPUTF8 or 8-bit content it does not offer) is not sent at all.
 * The result is the raw replies: what they mean per recipient is the
 * caller's business (the relay's delivery/transaction-result.ts), or
 * `transactionOutcome` sums them up for a client that sends whole messages.
 */
import { isAscii } from 'node:buffer';
import { DotStuffer, SmtpProtocolError, encodeXtext, formatCommand, isPositiveCompletion, type ClientCommand, type SmtpReply } from '@mail/smtp';
import { MessageContentError, SmtpConnectionError } from './errors';
import type { SmtpSession } from './session';

/** RFC 3461 parameters to pass on when the server offers DSN (values decoded, as the envelope carries them). */
export interface DsnRequest {
  /** MAIL FROM RET (§4.3). */
  readonly ret?: 'FULL' | 'HDRS';
  /** MAIL FROM ENVID (§4.4). */
  readonly envid?: string;
  /** RCPT TO NOTIFY (§4.1) and ORCPT (§4.2, `addr-type;address`) by recipient. */
  readonly recipients: ReadonlyMap<string, { readonly notify?: readonly string[]; readonly orcpt?: string }>;
}

/** What to send: the envelope and a readable message. */
export interface TransactionRequest {
  /** Reverse-path; '' is the null sender `<>`. */
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  /** Octets of the message as sent before dot-stuffing (for SIZE, RFC 1870 §6). */
  readonly size: number;
  /** RFC 6152: the message has octets above 127; BODY=8BITMIME is declared, and a server without 8BITMIME cannot take it. */
  readonly eightBit: boolean;
  /** RFC 6531 §3.4: the message needs SMTPUTF8. */
  readonly smtputf8: boolean;
  readonly dsn?: DsnRequest;
  /**
   * Send the data only when every recipient was accepted; otherwise RSET
   * (RFC 5321 §4.1.1.5) and keep the session. For a sender that retries the
   * whole message later rather than deliver it to some recipients now.
   */
  readonly allRecipientsOrNone?: boolean;
  /**
   * The content is already dot-stuffed (RFC 5321 §4.5.2), line ends as the
   * caller wrote them, and goes out byte for byte before the end-of-data
   * mark: for a test that sends what a correct client never would (a bare
   * LF the server must refuse, RFC 5321 §4.1.1.4). Otherwise the client
   * stuffs the content and sends every line end as CRLF.
   */
  readonly verbatim?: boolean;
  /**
   * With PIPELINING, DATA goes in the group with MAIL and RCPT, last (RFC
   * 2920 §3.1), saving a round trip per message; the data follows the 354
   * for whichever recipients were accepted. Not with `allRecipientsOrNone`.
   */
  readonly pipelineData?: boolean;
  /** A fresh stream of the message octets each time it is called. */
  content(): AsyncIterable<Uint8Array>;
}

/** The replies received; a missing one was never received. */
export interface TransactionReplies {
  mail?: SmtpReply;
  /** Aligned with the request's recipients. */
  readonly rcpt: (SmtpReply | undefined)[];
  dataStart?: SmtpReply;
  /**
   * performance.now() just before the end-of-data mark went to the socket.
   * From then on a lost connection leaves the outcome unknown: the server
   * may have taken the message (RFC 1047; RFC 5321 §6.1 accepts the duplicate).
   */
  endOfDataSentAt?: number;
  dataEnd?: SmtpReply;
  /** Why the transaction stopped short: the connection failed, or reading the message failed. */
  failure?: Error;
}

/** MAIL FROM parameters the server offered and this message needs. */
export function mailParams(session: SmtpSession, request: TransactionRequest): Record<string, string | true> {
  const params: Record<string, string | true> = {};
  // RFC 1870 §6: declare the size when the server offers SIZE
  if (session.size.offered) params['SIZE'] = String(request.size);
  if (request.eightBit && session.capabilities.has('8BITMIME')) params['BODY'] = '8BITMIME';
  if (request.smtputf8 && session.capabilities.has('SMTPUTF8')) params['SMTPUTF8'] = true;
  // RFC 3461 §5.2.1: relaying to a server that offers DSN, pass RET and ENVID (xtext, §4)
  if (request.dsn && session.capabilities.has('DSN')) {
    if (request.dsn.ret) params['RET'] = request.dsn.ret;
    if (request.dsn.envid) params['ENVID'] = encodeXtext(request.dsn.envid);
  }
  return params;
}

/** RCPT TO parameters: NOTIFY and ORCPT passed on to a server that offers DSN (RFC 3461 §5.2.1). */
export function rcptParams(session: SmtpSession, request: TransactionRequest, recipient: string): Record<string, string> | undefined {
  const dsn = request.dsn?.recipients.get(recipient);
  if (!dsn || !session.capabilities.has('DSN')) return undefined;
  const params: Record<string, string> = {};
  if (dsn.notify && dsn.notify.length > 0) params['NOTIFY'] = dsn.notify.join(',');
  const semi = dsn.orcpt?.indexOf(';') ?? -1;
  // RFC 3461 §4.2: ORCPT=addr-type ";" xtext
  if (dsn.orcpt && semi > 0) params['ORCPT'] = `${dsn.orcpt.slice(0, semi)};${encodeXtext(dsn.orcpt.slice(semi + 1))}`;
  return params;
}

/**
 * A reply we give ourselves instead of sending what the server said it
 * cannot take; it stands in for the reply to MAIL, so it settles every
 * recipient of the transaction (a 5xx: bounced with this reason).
 */
export function localRefusal(session: SmtpSession, request: TransactionRequest): SmtpReply | undefined {
  const { limit } = session.size;
  // RFC 1870 §6: do not send a message larger than the advertised limit
  if (limit > 0 && request.size > limit) {
    return { code: 552, enhanced: '5.3.4', lines: [`message of ${request.size} octets exceeds the server's limit of ${limit} (not sent)`] };
  }
  if (!session.capabilities.has('SMTPUTF8')) {
    // RFC 6531 §3.2: non-ASCII addresses cannot go to a server without SMTPUTF8
    const addresses = [request.mailFrom, ...request.recipients];
    if (addresses.some((a) => /[^\p{ASCII}]/u.test(a))) {
      return { code: 553, enhanced: '5.6.7', lines: ['non-ASCII address and the server does not offer SMTPUTF8 (not sent)'] };
    }
    // RFC 6531 §3.2: a message that needs SMTPUTF8 is not sent to a server without it, but returned (RFC 6531 §3.7.4.2: X.6.9)
    if (request.smtputf8) {
      return { code: 554, enhanced: '5.6.9', lines: ['the message needs SMTPUTF8 (internationalized headers) and the server does not offer it (not sent)'] };
    }
  }
  // RFC 6152 §3: 8-bit content goes to a server without 8BITMIME only converted to 7 bits, or is returned;
  // the relay does not convert (it would break a DKIM signature already made), so it returns it (RFC 3463 §3.7: X.6.3)
  if (request.eightBit && !session.capabilities.has('8BITMIME')) {
    return { code: 554, enhanced: '5.6.3', lines: ['the message has 8-bit content and the server does not offer 8BITMIME; conversion is not supported (not sent)'] };
  }
  return undefined;
}

/** Runs the transaction. Connection failures are reported in `failure`, never thrown. */
export async function runTransaction(session: SmtpSession, request: TransactionRequest): Promise<TransactionReplies> {
  const replies: TransactionReplies = { rcpt: request.recipients.map(() => undefined) };
  const refusal = localRefusal(session, request);
  if (refusal) return { ...replies, mail: refusal };
  try {
    await sendEnvelope(session, request, replies);
    if (!replies.mail || !isPositiveCompletion(replies.mail.code)) {
      if (replies.dataStart?.code === 354) await abandonData(session);
      return replies;
    }
    const accepted = replies.rcpt.filter((reply) => reply && isPositiveCompletion(reply.code)).length;
    if (accepted === 0 || (request.allRecipientsOrNone && accepted < replies.rcpt.length)) {
      // RFC 2920 §3.1: a pipelined DATA the server took although no recipient was accepted gets a lone dot
      if (replies.dataStart?.code === 354) await abandonData(session);
      // RFC 5321 §4.1.1.5: no recipient (or not every one) accepted; abort the transaction, keep the session
      await session.reset();
      return replies;
    }
    replies.dataStart ??= await session.command({ kind: 'DATA' }, session.timeouts.dataInitMs);
    if (replies.dataStart.code !== 354) return replies;
    await sendContent(session, request, replies);
    replies.dataEnd = await session.connection.readReply(session.timeouts.dataEndMs, 'the end of data');
    session.transactions++;
  } catch (error) {
    if (!(error instanceof SmtpConnectionError || error instanceof SmtpProtocolError || error instanceof MessageContentError)) throw error;
    session.destroy();
    replies.failure = error;
  }
  return replies;
}

/** MAIL and RCPT: in one write with PIPELINING (RFC 2920 §3.1), else one at a time. */
async function sendEnvelope(session: SmtpSession, request: TransactionRequest, replies: TransactionReplies): Promise<void> {
  const mail: ClientCommand = { kind: 'MAIL', from: request.mailFrom, params: mailParams(session, request) };
  const rcpts: ClientCommand[] = request.recipients.map((to) => {
    const params = rcptParams(session, request, to);
    return params ? { kind: 'RCPT', to, params } : { kind: 'RCPT', to };
  });
  const { connection, timeouts } = session;
  if (session.pipelining) {
    // RFC 2920 §3.1: DATA may end the group (its reply changes the state the client must follow)
    const withData = request.pipelineData === true && !request.allRecipientsOrNone;
    const group = withData ? [mail, ...rcpts, { kind: 'DATA' } as const] : [mail, ...rcpts];
    await connection.write(group.map(formatCommand).join(''), timeouts.commandMs, withData ? 'MAIL, RCPT and DATA' : 'MAIL and RCPT');
    replies.mail = await connection.readReply(timeouts.commandMs, 'MAIL');
    // RFC 2920 §3.1: every command of the batch gets a reply, even after a failed MAIL
    for (let i = 0; i < rcpts.length; i++) replies.rcpt[i] = await connection.readReply(timeouts.commandMs, 'RCPT');
    if (withData) replies.dataStart = await connection.readReply(timeouts.dataInitMs, 'DATA');
    return;
  }
  replies.mail = await session.command(mail);
  if (!isPositiveCompletion(replies.mail.code)) return;
  for (let i = 0; i < rcpts.length; i++) replies.rcpt[i] = await session.command(rcpts[i] as ClientCommand);
}

/** RFC 2920 §3.1: "if the DATA command was accepted the client SMTP should send a single dot"; its reply is read and dropped. */
async function abandonData(session: SmtpSession): Promise<void> {
  await session.connection.write('.\r\n', session.timeouts.dataBlockMs, 'the end of data');
  await session.connection.readReply(session.timeouts.dataEndMs, 'the end of data');
}

/**
 * The message, dot-stuffed (RFC 5321 §4.5.2), then the end-of-data mark
 * (RFC 5321 §4.1.1.4), noting when the mark went out. If reading the message
 * fails, the connection is dropped without the mark, so the server never
 * takes a truncated message for a complete one.
 */
async function sendContent(session: SmtpSession, request: TransactionRequest, replies: TransactionReplies): Promise<void> {
  const { connection, timeouts } = session;
  const encoder = request.verbatim ? new VerbatimData() : new DotStuffer();
  for await (const chunk of readContent(request)) {
    const parts = encoder.push(chunk);
    if (parts.length > 0) await connection.write(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), timeouts.dataBlockMs, 'message data');
  }
  // On a connection already known to be broken, write throws before sending: the mark never left
  if (connection.usable) replies.endOfDataSentAt = performance.now();
  await connection.write(encoder.finish(), timeouts.dataBlockMs, 'the end of data');
}

/** Content the caller encoded: passed on as it is; the end-of-data mark on a line of its own (RFC 5321 §4.1.1.4). */
class VerbatimData {
  /** The last two octets sent; an empty body counts as ending on a line end. */
  private lastTwo: [number, number] = [0x0d, 0x0a];

  push(chunk: Uint8Array): Buffer[] {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buf.length === 0) return [];
    this.lastTwo = [buf.length >= 2 ? (buf[buf.length - 2] as number) : this.lastTwo[1], buf[buf.length - 1] as number];
    return [buf];
  }

  finish(): Buffer {
    return Buffer.from(this.lastTwo[0] === 0x0d && this.lastTwo[1] === 0x0a ? '.\r\n' : '\r\n.\r\n');
  }
}

async function* readContent(request: TransactionRequest): AsyncGenerator<Uint8Array> {
  try {
    yield* request.content();
  } catch (error) {
    throw new MessageContentError(`reading the message failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Bytes written at a time when a whole message in memory is sent, so each write makes visible progress (RFC 5321 §4.5.3.2.5). */
const MESSAGE_CHUNK = 64 * 1024;

/**
 * A request for a message held in memory (CRLF line ends, not dot-stuffed:
 * the transaction stuffs it, unless `verbatim`), with its size and 8-bit flag worked out.
 */
export function messageRequest(
  envelope: { readonly from: string; readonly to: readonly string[]; readonly allRecipientsOrNone?: boolean; readonly verbatim?: boolean },
  message: string | Uint8Array,
): TransactionRequest {
  const octets = typeof message === 'string' ? Buffer.from(message, 'utf8') : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  return {
    mailFrom: envelope.from,
    recipients: envelope.to,
    size: octets.length,
    // RFC 6152 §2: any octet above 127 makes the body 8-bit
    eightBit: !isAscii(octets),
    smtputf8: false,
    ...(envelope.allRecipientsOrNone ? { allRecipientsOrNone: true } : {}),
    ...(envelope.verbatim ? { verbatim: true } : {}),
    async *content() {
      for (let offset = 0; offset < octets.length; offset += MESSAGE_CHUNK) yield octets.subarray(offset, offset + MESSAGE_CHUNK);
    },
  };
}
