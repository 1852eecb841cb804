/**
 * One SMTP client session as a sending MTA runs it, reporting for each
 * message exactly how far it got: `accepted` (250 after the final dot),
 * `refused` (any other reply, or the connection lost before the final dot
 * was sent — the message is certainly not queued), or `unconfirmed` (the
 * connection died or went silent after the final dot and before the reply:
 * the RFC 1047 window, where the server may have queued it).
 */
import { LineClient } from '@mail/testing';
import { renderMessage, type Mailbox, type PlannedMessage } from './message-plan';

export type AttemptOutcome = 'accepted' | 'refused' | 'unconfirmed';

const replyTimeoutMs = 30_000;
/** RFC 5321 §4.5.3.2.6 suggests 10 minutes for the reply to the final dot; the matrix settles for one. */
const dataEndTimeoutMs = 60_000;

/** An SMTP reply a step did not expect: the attempt is over. */
class UnexpectedReply extends Error {
  override readonly name = 'UnexpectedReply';
}

/** AUTH PLAIN initial response: `authzid NUL user NUL password` in BASE64 (RFC 4616 §2). */
function saslPlain(user: string, password: string): string {
  return Buffer.from(`\0${user}\0${password}`, 'utf8').toString('base64');
}

export class SmtpSession {
  private sent = 0;

  private constructor(private readonly client: LineClient) {}

  /** Connects, reads the greeting, says EHLO and, for submission, authenticates. */
  static async open(port: number, login?: Mailbox): Promise<SmtpSession> {
    const client = await LineClient.open(port);
    const session = new SmtpSession(client);
    try {
      await session.expect(undefined, 220);
      await session.expect('EHLO chaos-client.test', 250);
      if (login) await session.expect(`AUTH PLAIN ${saslPlain(login.address, login.password)}`, 235);
      return session;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  /** Messages sent on this connection so far. */
  get messageCount(): number {
    return this.sent;
  }

  private async expect(command: string | undefined, code: number, timeoutMs = replyTimeoutMs): Promise<void> {
    if (command !== undefined) this.client.send(command);
    const reply = await this.client.readSmtpReply(timeoutMs);
    if (reply.code !== code) throw new UnexpectedReply(reply.text);
  }

  /** Sends one message; the session is unusable after anything but `accepted`. */
  async send(message: PlannedMessage): Promise<AttemptOutcome> {
    this.sent++;
    try {
      await this.expect(`MAIL FROM:<${message.mailFrom}>`, 250);
      for (const rcpt of message.rcptTo) await this.expect(`RCPT TO:<${rcpt}>`, 250);
      await this.expect('DATA', 354);
      this.client.write(`${renderMessage(message)}.\r\n`);
    } catch {
      return 'refused';
    }
    try {
      await this.expect(undefined, 250, dataEndTimeoutMs);
      return 'accepted';
    } catch (error) {
      return error instanceof UnexpectedReply ? 'refused' : 'unconfirmed';
    }
  }

  /** QUIT politely when possible, then close. */
  async close(): Promise<void> {
    try {
      await this.expect('QUIT', 221, 5_000);
    } catch {
      // Closing anyway.
    } finally {
      this.client.close();
    }
  }

  abort(): void {
    this.client.close();
  }
}
