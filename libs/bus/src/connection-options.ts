/**
 * How a process authenticates to NATS and secures the connection, from the
 * settings @mail/config reads (NATS_USER and NATS_PASSWORD, NATS_TOKEN or
 * NATS_CREDS_FILE; NATS_TLS_CA_FILE, NATS_TLS_CERT_FILE, NATS_TLS_KEY_FILE).
 * Files are read at each (re)connection, so a rotated credentials file or
 * certificate is picked up without a restart.
 */
import { readFileSync } from 'node:fs';
import { credsAuthenticator, type ConnectionOptions } from '@nats-io/nats-core';

/** The NATS settings of @mail/config's commonConfig (same names), each unset when empty. */
export interface NatsConnectionSettings {
  readonly natsUser?: string | undefined;
  readonly natsPassword?: string | undefined;
  readonly natsToken?: string | undefined;
  readonly natsCredsFile?: string | undefined;
  readonly natsTlsCaFile?: string | undefined;
  readonly natsTlsCertFile?: string | undefined;
  readonly natsTlsKeyFile?: string | undefined;
}

/** The settings contradict each other or lack a part (names the variables). */
export class NatsSettingsError extends Error {
  override name = 'NatsSettingsError';
}

/** The credentials and TLS part of nats.js's ConnectionOptions. */
export function natsAuthOptions(settings: NatsConnectionSettings = {}): Pick<ConnectionOptions, 'user' | 'pass' | 'token' | 'authenticator' | 'tls'> {
  const { natsUser: user, natsPassword: pass, natsToken: token, natsCredsFile: credsFile } = settings;
  if ((user === undefined) !== (pass === undefined)) throw new NatsSettingsError('NATS_USER and NATS_PASSWORD go together: set both or neither');
  const ways = [user !== undefined && 'NATS_USER', token !== undefined && 'NATS_TOKEN', credsFile !== undefined && 'NATS_CREDS_FILE'].filter((way) => way !== false);
  if (ways.length > 1) throw new NatsSettingsError(`set one way to authenticate to NATS, not ${ways.join(' and ')}`);
  const { natsTlsCaFile: caFile, natsTlsCertFile: certFile, natsTlsKeyFile: keyFile } = settings;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new NatsSettingsError('NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together: set both or neither');
  const tls =
    caFile !== undefined || certFile !== undefined ? { ...(caFile !== undefined ? { caFile } : {}), ...(certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : {}) } : undefined;
  return {
    ...(user !== undefined && pass !== undefined ? { user, pass } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(credsFile !== undefined ? { authenticator: credsAuthenticator(() => readCredentials(credsFile)) } : {}),
    ...(tls ? { tls } : {}),
  };
}

function readCredentials(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new NatsSettingsError(`NATS_CREDS_FILE ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}
