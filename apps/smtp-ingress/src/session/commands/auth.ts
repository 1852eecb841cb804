/**
 * AUTH (RFC 4954): not offered yet. The submission listener already
 * requires it before MAIL (530 5.7.0 from the state gate); the SASL
 * exchange and `state.authUser` come with a later change.
 */
import { C502NotImplemented, EsInvalidCommand, SmtpReplyError } from '@mail/smtp';
import type { CommandHandler } from '../command-context';

/** Refuses with 502 5.5.1 (RFC 4954 §4: AUTH was not advertised). */
export const handleAuth: CommandHandler<'AUTH'> = async () => {
  throw new SmtpReplyError(C502NotImplemented, EsInvalidCommand, 'AUTH not available');
};
