/**
 * TLS handshakes with a chosen protocol version, for the downgrade tests:
 * over a connection that has just been told to upgrade (SMTP STARTTLS,
 * RFC 3207; POP3 STLS, RFC 2595) or straight away (POP3S, RFC 8314 §3.3).
 * The client allows TLS 1.0 and 1.1 (OpenSSL security level 0) so that a
 * refusal can only come from the server.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type SecureVersion } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The handshake's protocol (`TLSv1.3`…), or the OpenSSL error code of its failure. */
export type HandshakeResult = { readonly ok: true; readonly protocol: string } | { readonly ok: false; readonly code: string };

/** Handshake offering exactly `version`, over `socket` when given, else to 127.0.0.1:`port`. */
export function handshake(version: SecureVersion, target: { socket: Socket } | { port: number }): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    const tls = connect({
      ...('socket' in target ? { socket: target.socket } : { host: '127.0.0.1', port: target.port }),
      rejectUnauthorized: false,
      minVersion: version,
      maxVersion: version,
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    tls.once('secureConnect', () => {
      resolve({ ok: true, protocol: tls.getProtocol() ?? 'unknown' });
      tls.destroy();
    });
    tls.once('error', (error: NodeJS.ErrnoException) => {
      resolve({ ok: false, code: error.code ?? error.message });
      tls.destroy();
    });
  });
}

/** PEM files of a fresh self-signed certificate for `hostname`; remove() deletes them. */
export async function selfSignedCertificate(hostname: string): Promise<{ certFile: string; keyFile: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'e2e-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${hostname}`]);
  return { certFile, keyFile, remove: () => rm(dir, { recursive: true, force: true }) };
}
