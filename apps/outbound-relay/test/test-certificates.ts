/**
 * Certificates for TLS tests, made with openssl: a CA, a certificate it
 * signs for one host name, and a self-signed certificate nobody trusts.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const openssl = (dir: string, ...args: string[]) => promisify(execFile)('openssl', args, { cwd: dir });

export interface Pem {
  readonly cert: string;
  readonly key: string;
}

/** Writes the files into `dir`; `caFile` is the CA's PEM file (for NODE_EXTRA_CA_CERTS or OUTBOUND_RELAY_TLS_CA_FILE). */
export async function makeCertificates(dir: string, host: string): Promise<{ caFile: string; signed: Pem; selfSigned: Pem }> {
  await openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Relay Test CA');
  await openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${host}`);
  await writeFile(join(dir, 'leaf.ext'), `subjectAltName=DNS:${host}\n`);
  await openssl(dir, 'x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '2', '-extfile', 'leaf.ext');
  await openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', '/CN=mx.nobody.test');
  const read = (name: string) => readFile(join(dir, name), 'utf8');
  return {
    caFile: join(dir, 'ca.pem'),
    signed: { cert: await read('leaf.pem'), key: await read('leaf.key') },
    selfSigned: { cert: await read('self.pem'), key: await read('self.key') },
  };
}
