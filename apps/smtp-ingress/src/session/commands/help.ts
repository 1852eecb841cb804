/** HELP (RFC 5321 §4.1.1.8): a short list of the commands this server knows. */
import { C214HelpMessage, EsOther } from '@mail/smtp';
import type { CommandHandler } from '../command-context';

/** Answers 214 2.0.0 with the command list. */
export const handleHelp: CommandHandler<'HELP'> = async (ctx) => {
  await ctx.channel.reply(C214HelpMessage, EsOther, [
    'Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH',
    'See RFC 5321, RFC 3030 (BDAT), RFC 3207 (STARTTLS) and RFC 4954 (AUTH, submission only)',
  ]);
};
