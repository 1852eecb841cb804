/**
 * Certificate files for tests of TLS reloading: self-signed pairs made with
 * the openssl CLI, and a directory holding `tls.crt` and `tls.key` whose
 * content is replaced the way it is in production — by renaming a fully
 * written file over the old one, or as the kubelet updates a mounted Secret:
 * the files are symlinks through `..data`, itself a symlink to a timestamped
 * directory, and an update renames a new `..data` over the old one.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate and its key as PEM, and the certificate's SHA-256 fingerprint as TLS peers report it. */
export interface PemCertificate {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly fingerprint256: string;
}

/** A fresh self-signed EC certificate for `hostname`, valid for a day (needs openssl: externalTools.openssl). */
export async function selfSignedPem(hostname: string): Promise<PemCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'pem-'));
  try {
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    const subject = ['-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`];
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', ...subject, '-keyout', keyFile, '-out', certFile]);
    const cert = await readFile(certFile);
    return { cert, key: await readFile(keyFile), fingerprint256: new X509Certificate(cert).fingerprint256 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** How replace() changes the files: a rename of each written file, or the kubelet's `..data` symlink swap. */
export type TlsFilesLayout = 'renamed-files' | 'kubernetes-secret';

/** A temporary directory with `tls.crt` and `tls.key` (TLS_CERT_FILE, TLS_KEY_FILE). */
export class TlsFilesDirectory {
  #generation = 0;

  private constructor(
    readonly directory: string,
    readonly layout: TlsFilesLayout,
  ) {}

  get certFile(): string {
    return join(this.directory, 'tls.crt');
  }

  get keyFile(): string {
    return join(this.directory, 'tls.key');
  }

  /** Creates the directory holding `pair`. */
  static async create(pair: { cert: Buffer; key: Buffer }, layout: TlsFilesLayout): Promise<TlsFilesDirectory> {
    const files = new TlsFilesDirectory(await mkdtemp(join(tmpdir(), 'tls-files-')), layout);
    if (layout === 'renamed-files') {
      await files.replace(pair);
      return files;
    }
    await symlink(await files.#writeGeneration(pair), join(files.directory, '..data'));
    await symlink(join('..data', 'tls.crt'), files.certFile);
    await symlink(join('..data', 'tls.key'), files.keyFile);
    return files;
  }

  /** Replaces the certificate and key (`cert` and `key` may come from different pairs, to make a broken one). */
  async replace(pair: { cert: Buffer; key: Buffer }): Promise<void> {
    if (this.layout === 'renamed-files') {
      await this.#renameInto(this.certFile, pair.cert);
      await this.#renameInto(this.keyFile, pair.key);
      return;
    }
    // The kubelet's atomic writer: a new timestamped directory, `..data_tmp` pointing to it renamed over `..data`, the old one removed
    const previous = `..gen${this.#generation}`;
    await symlink(await this.#writeGeneration(pair), join(this.directory, '..data_tmp'));
    await rename(join(this.directory, '..data_tmp'), join(this.directory, '..data'));
    await rm(join(this.directory, previous), { recursive: true, force: true });
  }

  async remove(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
  }

  async #renameInto(path: string, content: Buffer): Promise<void> {
    const temporary = `${path}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, path);
  }

  async #writeGeneration(pair: { cert: Buffer; key: Buffer }): Promise<string> {
    this.#generation += 1;
    const name = `..gen${this.#generation}`;
    await mkdir(join(this.directory, name));
    await writeFile(join(this.directory, name, 'tls.crt'), pair.cert);
    await writeFile(join(this.directory, name, 'tls.key'), pair.key);
    return name;
  }
}
