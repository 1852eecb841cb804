/**
 * The TLS context of the mail listeners (SMTP STARTTLS, RFC 3207; POP3 STLS,
 * RFC 2595), built once at start-up from the PEM files named by TLS_CERT_FILE
 * and TLS_KEY_FILE.
 */
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureContext } from 'node:tls';
import { recordCertificateExpiry } from './certificate-expiry';

/** The certificate settings as configured (both set, or neither). */
export interface TlsFiles {
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
}

/**
 * The secure context, or undefined when TLS is not configured (STARTTLS/STLS are
 * then not offered). TLS 1.2 is the minimum (RFC 8996 retired 1.0 and 1.1).
 *
 * @throws Error naming the variable when only one file is set, a file cannot
 *   be read, or the certificate and key do not match.
 */
export async function loadTlsContext(files: TlsFiles): Promise<SecureContext | undefined> {
  const { tlsCertFile, tlsKeyFile } = files;
  if (tlsCertFile === undefined && tlsKeyFile === undefined) return undefined;
  if (tlsCertFile === undefined || tlsKeyFile === undefined) throw new Error('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  const cert = await readPem('TLS_CERT_FILE', tlsCertFile);
  const key = await readPem('TLS_KEY_FILE', tlsKeyFile);
  let context: SecureContext;
  try {
    context = createSecureContext({ cert, key, minVersion: 'TLSv1.2' });
  } catch (cause) {
    throw new Error(`TLS_CERT_FILE/TLS_KEY_FILE: cannot use the certificate and key: ${(cause as Error).message}`, { cause });
  }
  recordCertificateExpiry(tlsCertFile, cert);
  return context;
}

async function readPem(variable: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new Error(`${variable}: cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}
