/**
 * The certificate and key of the mail listeners (SMTP STARTTLS, RFC 3207;
 * POP3 STLS, RFC 2595; POP3S, RFC 8314), read from the PEM files named by
 * TLS_CERT_FILE and TLS_KEY_FILE and checked before they are served: the
 * certificate parses and the key is the one it certifies. tls-certificates.ts
 * reads them again when they change.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SecureContext } from 'node:tls';

/** The certificate settings as configured (both set, or neither). */
export interface TlsFiles {
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
}

/** The PEM octets of a certificate chain and its key, as read from the files. */
export interface TlsPair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** A pair that is ready to serve: its secure context and the leaf certificate. */
export interface UsableTlsPair {
  readonly context: SecureContext;
  readonly certificate: X509Certificate;
}

/** The files cannot be read, or what they hold is no usable certificate and key. */
export class TlsPairError extends Error {
  override readonly name = 'TlsPairError';
}

/** Reads both files; throws TlsPairError naming the variable of a file that cannot be read. */
export async function readTlsPair(certFile: string, keyFile: string): Promise<TlsPair> {
  return { cert: await readPem('TLS_CERT_FILE', certFile), key: await readPem('TLS_KEY_FILE', keyFile) };
}

/**
 * Checks the pair and builds its secure context. TLS 1.2 is the minimum (RFC
 * 8996 retired 1.0 and 1.1).
 *
 * @throws TlsPairError when the certificate or the key does not parse, or the
 *   key is not the certificate's (a half-written renewal, or the key of another certificate).
 */
export function usableTlsPair(pair: TlsPair): UsableTlsPair {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pair.cert);
  } catch (cause) {
    throw new TlsPairError(`TLS_CERT_FILE: not a PEM certificate: ${(cause as Error).message}`, { cause });
  }
  let matches: boolean;
  try {
    matches = certificate.checkPrivateKey(createPrivateKey(pair.key));
  } catch (cause) {
    throw new TlsPairError(`TLS_KEY_FILE: not a PEM private key: ${(cause as Error).message}`, { cause });
  }
  if (!matches) throw new TlsPairError('TLS_KEY_FILE: the key does not belong to the certificate of TLS_CERT_FILE');
  try {
    // node:tls is taken when first needed, not imported: it is 3 MiB of idle RSS (libs/runtime/src/tls-on-demand.ts).
    return { context: process.getBuiltinModule('node:tls').createSecureContext({ cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' }), certificate };
  } catch (cause) {
    throw new TlsPairError(`TLS_CERT_FILE/TLS_KEY_FILE: cannot use the certificate and key: ${(cause as Error).message}`, { cause });
  }
}

async function readPem(variable: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new TlsPairError(`${variable}: cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}
