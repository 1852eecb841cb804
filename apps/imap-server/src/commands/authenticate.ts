/**
 * AUTHENTICATE (RFC 9051 §6.2.2) with the PLAIN mechanism (RFC 4616), the
 * initial response in the command (RFC 4959 SASL-IR) or after an empty `+`
 * challenge; `*` cancels (BAD). The authorization identity, when given,
 * must be the user itself (no proxy logins): otherwise NO [AUTHORIZATIONFAILED].
 */
import { decodeInitialResponse, decodePlainCredentials, formatSaslChallenge, ImapResponseError, parseAuthenticateResponse, authenticationCancelled } from '@mail/imap';
import type { CommandContext, CommandHandler } from '../session/command-context';
import { assertPasswordsAllowed, logIn } from './login';

export const authenticate: CommandHandler<'AUTHENTICATE'> = async (ctx, command) => {
  if (command.mechanism !== 'PLAIN') throw new ImapResponseError('NO', `Unsupported mechanism ${command.mechanism.slice(0, 40)}`, { code: 'CANNOT', userFault: true });
  assertPasswordsAllowed(ctx);
  const message = command.initialResponse !== undefined ? decodeInitialResponse(command.initialResponse) : await readResponse(ctx, command.tag);
  const credentials = decodePlainCredentials(message);
  if (credentials.authzid !== undefined && credentials.authzid.toLowerCase() !== credentials.authcid.toLowerCase()) {
    throw new ImapResponseError('NO', 'Logging in as another user is not allowed', { code: 'AUTHORIZATIONFAILED', userFault: true });
  }
  return logIn(ctx, credentials.authcid, credentials.password, 'plain');
};

/** RFC 9051 §6.2.2: an empty challenge, then one client line (BASE64, or `*`). */
async function readResponse(ctx: CommandContext, tag: string): Promise<Buffer> {
  ctx.channel.setReaderMode('lines');
  try {
    await ctx.channel.write(formatSaslChallenge());
    const event = await ctx.channel.nextEvent();
    if (event === undefined) throw new ImapResponseError('BYE', 'Connection closed during authentication');
    if (event.kind !== 'command') throw event.kind === 'refused' ? event.error : new ImapResponseError('BAD', 'Unexpected input during authentication', { tag, userFault: true });
    const response = parseAuthenticateResponse(Buffer.concat(event.command.lines as Buffer[]));
    if (response.cancelled) throw authenticationCancelled(tag);
    return response.data;
  } finally {
    ctx.channel.setReaderMode('commands');
  }
}
