/**
 * The SASL exchange of AUTH (RFC 4954 §4) for PLAIN (RFC 4616) and LOGIN
 * (draft-murchison-sasl-login): 334 challenges, client lines of up to
 * MAX_AUTH_LINE octets (RFC 4954 §4), "*" to cancel (501), and the
 * credentials it yields. Nothing here is logged: the lines carry secrets.
 */
import {
  C334AuthContinue,
  C500SyntaxError,
  EsAuthLineTooLong,
  MAX_AUTH_LINE,
  SaslLoginPrompt,
  SmtpReplyError,
  decodeSaslInitialResponse,
  formatSaslChallenge,
  parseSaslLoginField,
  parseSaslPlain,
  parseSaslResponse,
  saslCancelled,
} from '@mail/smtp';
import { ConnectionClosedError } from '../session/session-errors';
import type { SmtpChannel } from '../session/smtp-channel';
import type { AuthMechanism } from './auth-policy';

/** What the client sent: who it is, its password, and whom it wants to act as (PLAIN's authzid). */
export interface SaslCredentials {
  readonly username: string;
  readonly password: string;
  readonly authzid?: string;
}

/** The end of an exchange: credentials, or the refusal to send and why (for the metric). */
export type SaslOutcome = { readonly ok: true; readonly credentials: SaslCredentials } | { readonly ok: false; readonly result: 'cancelled' | 'malformed'; readonly error: SmtpReplyError };

/** Sends a 334 challenge and returns the decoded answer. */
async function challenge(channel: SmtpChannel, text: string): Promise<Buffer> {
  // RFC 4954 §4: "334" SP [base64] — the challenge, then one client line
  await channel.reply(C334AuthContinue, undefined, formatSaslChallenge(text));
  const line = await channel.nextLine(MAX_AUTH_LINE);
  if (line === undefined) throw new ConnectionClosedError('connection closed during AUTH');
  // RFC 4954 §6: 500 5.5.6 Authentication Exchange line is too long
  if (line.kind === 'too-long') throw new SmtpReplyError(C500SyntaxError, EsAuthLineTooLong, 'Authentication exchange line is too long');
  const response = parseSaslResponse(line.text);
  if (response.cancelled) throw new SaslCancelled();
  return response.data;
}

class SaslCancelled extends Error {
  override name = 'SaslCancelled';
}

async function plain(channel: SmtpChannel, initialResponse: string | undefined): Promise<SaslCredentials> {
  // RFC 4616 §2: the client sends its message first; without an initial response the server's challenge is empty
  const message = initialResponse !== undefined ? decodeSaslInitialResponse(initialResponse) : await challenge(channel, '');
  const { authzid, authcid, password } = parseSaslPlain(message);
  return authzid === undefined ? { username: authcid, password } : { username: authcid, password, authzid };
}

async function login(channel: SmtpChannel, initialResponse: string | undefined): Promise<SaslCredentials> {
  // draft-murchison-sasl-login §2.1: "Username:" then "Password:"; some clients send the user name as initial response
  const user = initialResponse !== undefined ? decodeSaslInitialResponse(initialResponse) : await challenge(channel, SaslLoginPrompt.username);
  const username = parseSaslLoginField(user, 'user name');
  const password = parseSaslLoginField(await challenge(channel, SaslLoginPrompt.password), 'password');
  return { username, password };
}

/**
 * Runs the exchange of `mechanism`. Rejects only with ConnectionClosedError
 * (the client went away); every refusal comes back as an outcome.
 */
export async function runSaslExchange(channel: SmtpChannel, mechanism: AuthMechanism, initialResponse: string | undefined): Promise<SaslOutcome> {
  try {
    const credentials = mechanism === 'PLAIN' ? await plain(channel, initialResponse) : await login(channel, initialResponse);
    return { ok: true, credentials };
  } catch (error) {
    if (error instanceof SaslCancelled) return { ok: false, result: 'cancelled', error: saslCancelled() };
    if (error instanceof SmtpReplyError) return { ok: false, result: 'malformed', error };
    throw error;
  }
}
