/**
 * A self-signed certificate for STARTTLS (SMTP) and STLS (POP3) in
 * .data/tls/, made once with openssl. Without openssl the stack runs
 * without TLS and says so. TLS_CERT_FILE and TLS_KEY_FILE from the
 * environment take precedence.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBinary } from './binaries';
import { errorText } from './launch-error';
import type { Terminal } from './terminal';
import { dataDirs } from './workspace';

const run = promisify(execFile);

/** Certificate and key files, PEM. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** The subject name: MAIL_HOSTNAME as the services use it, else localhost. */
export function certificateName(env: NodeJS.ProcessEnv): string {
  const name = env['MAIL_HOSTNAME']?.trim();
  return name === undefined || name === '' ? 'localhost' : name;
}

/** Arguments of `openssl req` for a one-year self-signed RSA certificate. */
export function opensslArgs(name: string, files: TlsFiles): string[] {
  return ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '365', '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`, '-keyout', files.keyFile, '-out', files.certFile];
}

/** The certificate to hand to the services, creating it on first use; undefined when there is none. */
export async function ensureCertificate(env: NodeJS.ProcessEnv, terminal: Terminal): Promise<TlsFiles | undefined> {
  const own = { certFile: env['TLS_CERT_FILE']?.trim() ?? '', keyFile: env['TLS_KEY_FILE']?.trim() ?? '' };
  if (own.certFile !== '' && own.keyFile !== '') {
    terminal.info(`TLS: using TLS_CERT_FILE=${own.certFile}`);
    return own;
  }
  const files = { certFile: join(dataDirs.tls, 'cert.pem'), keyFile: join(dataDirs.tls, 'key.pem') };
  if (existsSync(files.certFile) && existsSync(files.keyFile)) return files;

  const openssl = findBinary('openssl', env);
  if (openssl === undefined) {
    terminal.warn('TLS: openssl not found, so no certificate: STARTTLS and STLS are off (sudo apt-get install openssl)');
    return undefined;
  }
  const name = certificateName(env);
  try {
    await mkdir(dataDirs.tls, { recursive: true, mode: 0o700 });
    await run(openssl, opensslArgs(name, files), { timeout: 60_000 });
    await chmod(files.keyFile, 0o600);
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    terminal.warn(`TLS: openssl could not create a certificate, STARTTLS and STLS are off: ${typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : errorText(error)}`);
    return undefined;
  }
  terminal.info(`TLS: created a self-signed certificate for ${name} in ${dataDirs.tls}`);
  return files;
}
