/** EXPN (RFC 5321 §3.5.2): not offered; expanding lists would disclose members (RFC 5321 §7.3). */
import { C502NotImplemented, EsInvalidCommand, SmtpReplyError } from '@mail/smtp';
import type { CommandHandler } from '../command-context';

/** Refuses with 502 5.5.1. */
export const handleExpn: CommandHandler<'EXPN'> = async () => {
  throw new SmtpReplyError(C502NotImplemented, EsInvalidCommand, 'EXPN not available');
};
