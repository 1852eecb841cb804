/**
 * The end of a message (DATA terminator or BDAT LAST), once its content
 * passed the content policy: name it, stamp the Received: field, store the
 * body, publish `received`, and only then let the handler say 250
 * (RFC 5321 §6.1: accepting a message is taking responsibility for it).
 * If storing or publishing fails the client gets 451 4.3.0 and nothing is
 * delivered: no event means no delivery; the orphan body is deleted.
 */
import type { MailReceived } from '@mail/contracts';
import { C451LocalError, EsSystemOther, SmtpReplyError } from '@mail/smtp';
import { isSubmissionListener, type SessionState, type MailTransaction } from '../session/session-state';
import type { MailQueue } from './mail-queue';
import type { MessageBody } from './message-body';
import { lacksHeaderSection, messageIdHeaderOf } from './message-id-header';
import { newQueueId } from './queue-id';
import { receivedHeader } from './received-header';
import type { SessionLog } from '../session/session-log';

/** What the acceptor needs besides the message. */
export interface AcceptorDependencies {
  readonly queue: MailQueue;
  /** MAIL_HOSTNAME, for the Received: field. */
  readonly hostname: string;
  readonly log: SessionLog;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

/** One finished message with its session and transaction. */
export interface FinishedMessage {
  readonly state: SessionState;
  readonly transaction: MailTransaction;
  readonly body: MessageBody;
  /** Verified reverse-DNS name of the client, if any. */
  readonly clientHostname: string | undefined;
}

const temporaryFailure = (cause: unknown): SmtpReplyError => new SmtpReplyError(C451LocalError, EsSystemOther, 'Local error: message not queued, try again later', { cause, userFault: false });

/** The event announcing the message (body reference filled in by the caller). */
export function receivedEvent(message: FinishedMessage, queueId: string, date: Date, hostname: string): Omit<MailReceived, 'body'> {
  const { state, transaction: tx } = message;
  const helo = state.helo?.name ?? '';
  const received = receivedHeader({
    helo,
    clientHostname: message.clientHostname,
    clientIp: state.clientIp,
    hostname,
    extended: state.helo?.extended ?? false,
    tls: state.tls,
    authenticated: state.authUser !== undefined,
    smtputf8: tx.params.smtputf8,
    queueId,
    recipients: tx.recipients.map((r) => r.address),
    date,
  });
  return {
    version: 1,
    queueId,
    receivedAt: date.toISOString(),
    session: {
      // The event names the role (RFC 6409 submission); submissions differs only by its TLS, which `tls` says
      listener: isSubmissionListener(state.listener) ? 'submission' : 'inbound',
      clientIp: state.clientIp,
      ...(state.clientPort !== undefined ? { clientPort: state.clientPort } : {}),
      helo: helo.slice(0, 255),
      tls: state.tls,
      ...(state.authUser !== undefined ? { authUser: state.authUser } : {}),
    },
    envelope: {
      mailFrom: tx.mailFrom,
      recipients: tx.recipients,
      smtputf8: tx.params.smtputf8,
      bodyType: tx.params.bodyType,
      ...(tx.params.dsnReturn !== undefined ? { dsnReturn: tx.params.dsnReturn } : {}),
      ...(tx.params.dsnEnvelopeId !== undefined ? { dsnEnvelopeId: tx.params.dsnEnvelopeId } : {}),
    },
    traceHeaders: [received],
  };
}

/**
 * Queue the message; resolves with its queue id once JetStream has
 * acknowledged body and event. Throws {@link SmtpReplyError} 451 4.3.0.
 */
export async function acceptMessage(deps: AcceptorDependencies, message: FinishedMessage): Promise<string> {
  const queueId = (deps.newId ?? newQueueId)();
  const date = (deps.now ?? (() => new Date()))();
  const event = receivedEvent(message, queueId, date, deps.hostname);
  const discardBody = (): void => {
    deps.queue.deleteBody(queueId).catch((error: unknown) => deps.log.warn({ err: error, queueId }, 'could not delete orphan body'));
  };
  const chunks = message.body.take();
  const messageIdHeader = messageIdHeaderOf(chunks);
  let body;
  try {
    body = await deps.queue.putBody(queueId, chunks, message.body.maxSize);
  } catch (error) {
    discardBody();
    throw temporaryFailure(error);
  }
  try {
    await deps.queue.publish({
      ...event,
      body,
      ...(messageIdHeader !== undefined ? { messageIdHeader } : {}),
      ...(lacksHeaderSection(chunks) ? { bodyLacksHeaderSection: true } : {}),
    });
  } catch (error) {
    // An inline body was never written to the object store: nothing to delete.
    if (body.inline === undefined) discardBody();
    throw temporaryFailure(error);
  }
  return queueId;
}
