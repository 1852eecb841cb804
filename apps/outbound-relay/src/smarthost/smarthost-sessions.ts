/**
 * Sessions with the smarthost: STARTTLS required or implicit TLS (RFC
 * 8314), the certificate verified for the host (the target requires TLS),
 * and AUTH PLAIN or LOGIN over it (RFC 4954) with the configured
 * credentials; in the clear only for OUTBOUND_RELAY_TLS=none on loopback.
 * A smarthost without STARTTLS or AUTH, or refusing the credentials, fails
 * the session: the recipients are deferred with that reason, and nothing
 * was sent in the clear.
 */
import { readFile } from 'node:fs/promises';
import { openSession, type SessionOptions, type SmtpCredentials, type SmtpSession, type SmtpTarget } from '@mail/smtp-client';
import { secretText, type Smarthost, type SmarthostCredentials } from './relay-host';

/** Opens sessions to the smarthost with `base` (HELO name, time limits). */
export function smarthostSessions(smarthost: Smarthost, base: SessionOptions): (target: SmtpTarget) => Promise<SmtpSession> {
  const credentials = smarthost.credentials ? credentialSource(smarthost.credentials) : undefined;
  const options: SessionOptions = {
    ...base,
    startTls: smarthost.tls !== 'none',
    implicitTls: smarthost.tls === 'implicit',
    ...(smarthost.ca === undefined ? {} : { tlsCa: smarthost.ca }),
  };
  return async (target) => openSession(target, credentials ? { ...options, auth: await credentials() } : options);
}

/** The credentials for the next connection; a password file is read each time (its last good text if it cannot be read now). */
function credentialSource(credentials: SmarthostCredentials): () => Promise<SmtpCredentials> {
  const { user, password } = credentials;
  if ('value' in password) return async () => ({ user, password: password.value });
  let last = password.readAtStart;
  return async () => {
    try {
      last = secretText(await readFile(password.file, 'utf8'));
    } catch {
      // Being replaced right now (a Secret update swaps a symlink): the last text read stands
    }
    return { user, password: last };
  };
}
