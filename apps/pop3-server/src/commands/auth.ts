/** AUTH [mechanism [initial-response]] (RFC 5034): SASL authentication, PLAIN only. */
import { Pop3ResponseCode, Pop3ResponseError, decodeSaslPlain, formatListing, formatSaslChallenge, ok, parseSaslContinuation, parseSaslPlainMessage } from '@mail/pop3';
import { ConnectionClosedError } from '@mail/tcp-session';
import type { CommandContext, CommandHandler } from '../session/command-context';
import { assertPasswordsAllowed, logInWithPassword, passwordsAllowed } from './login';

/** RFC 5034 §4: client responses are not bound by the 255-octet command limit; PLAIN needs about 1 KiB. */
const SASL_RESPONSE_LINE_OCTETS = 4096;

/**
 * AUTH PLAIN with an initial response, or with an empty `+ ` challenge and
 * the response on the next line (RFC 5034 §4, RFC 4616). A bare AUTH lists
 * the mechanisms, as clients of the older RFC 1734 expect.
 */
export const handleAuth: CommandHandler<'AUTH'> = async (ctx, command) => {
  if (command.mechanism === undefined) {
    const mechanisms = passwordsAllowed(ctx) ? ['PLAIN'] : [];
    await ctx.channel.write(ok('SASL mechanisms follow') + formatListing(mechanisms));
    return;
  }
  // RFC 5034 §4: an unsupported mechanism gets -ERR.
  if (command.mechanism !== 'PLAIN') throw new Pop3ResponseError('unsupported SASL mechanism');
  assertPasswordsAllowed(ctx);
  const credentials = command.initialResponse === undefined ? parseSaslPlainMessage(await readSaslResponse(ctx)) : decodeSaslPlain(command.initialResponse);
  // RFC 4616 §2: acting as another identity (authzid) is not supported.
  if (credentials.authzid !== undefined && credentials.authzid !== credentials.authcid) {
    throw new Pop3ResponseError('authorization identity must be empty or the user name', { responseCode: Pop3ResponseCode.Auth });
  }
  await logInWithPassword(ctx, credentials.authcid, credentials.password, 'plain');
};

/** Sends the empty challenge `+ ` and reads the client's response line (RFC 5034 §4). */
async function readSaslResponse(ctx: CommandContext): Promise<Buffer> {
  const { channel } = ctx;
  const previousLimit = channel.maxLineOctets;
  channel.maxLineOctets = SASL_RESPONSE_LINE_OCTETS;
  try {
    await channel.write(formatSaslChallenge());
    const line = await channel.nextLine();
    if (line === undefined) throw new ConnectionClosedError('connection closed during AUTH');
    if (line.kind === 'too-long') throw new Pop3ResponseError('SASL response too long');
    const response = parseSaslContinuation(line.text);
    // RFC 5034 §4: "*" cancels the exchange, answered with -ERR.
    if (response.cancelled) throw new Pop3ResponseError('authentication cancelled');
    return response.data;
  } finally {
    channel.maxLineOctets = previousLimit;
  }
}
