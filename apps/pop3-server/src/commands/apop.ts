/** APOP name digest (RFC 1939 §7): not offered. */
import { Pop3ResponseError } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';

/**
 * Refuses APOP. RFC 1939 §7 needs the plaintext shared secret on the server,
 * and mailbox-store keeps only password hashes; the banner already carries a
 * timestamp so APOP can be added later without changing the greeting.
 */
export const handleApop: CommandHandler<'APOP'> = async () => {
  throw new Pop3ResponseError('APOP not supported, use USER/PASS or AUTH PLAIN');
};
