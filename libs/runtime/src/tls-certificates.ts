/**
 * The certificate the mail listeners serve, followed as it is renewed.
 * cert-manager renews the Secret and the kubelet updates the mounted volume
 * by swapping the `..data` symlink of its directory, so the files change
 * without being written in place and a watch on the files alone would miss
 * it: the directories are watched (a change is read after a short quiet
 * period, since a renewal writes two files) and the files are read again
 * every TLS_RELOAD_INTERVAL in any case. A changed pair is checked
 * (tls-context.ts) before it replaces the served one; a pair that cannot be
 * used — half written, or a key of another certificate — leaves the previous
 * certificate in service, with a warning and
 * `mail_tls_reloads_total{outcome="refused"}`. Sessions keep the TLS state
 * they negotiated; each new handshake asks current().
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { SecureContext } from 'node:tls';
import { metrics, type Counter } from '@opentelemetry/api';
import { recordCertificateExpiry } from './certificate-expiry';
import { TlsPairError, readTlsPair, usableTlsPair, type TlsFiles, type TlsPair, type UsableTlsPair } from './tls-context';

/** Where a listener takes the secure context of its next handshake. */
export interface TlsContextSource {
  /** The context of the newest usable certificate and key. */
  current(): SecureContext;
}

/** What one look at the files found: the same pair, a new one now served, or one that cannot be used. */
export type TlsReloadOutcome = 'unchanged' | 'reloaded' | 'refused';

/** The log lines of reloading (a service's pino logger fits). */
export interface TlsReloadLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface TlsReloadOptions {
  /** How often the files are read again (TLS_RELOAD_INTERVAL); 0: read once at start, never reloaded. */
  readonly intervalMs: number;
  readonly log: TlsReloadLog;
  /** Quiet time after a change in the files' directories before they are read (default 250 ms). */
  readonly settleMs?: number;
}

let reloads: Counter | undefined;

/** The served certificate and key of TLS_CERT_FILE/TLS_KEY_FILE, reloaded when the files change. */
export class TlsCertificates implements TlsContextSource {
  #context: SecureContext;
  /** Digest of the pair served now, and of the last pair refused (warned about once). */
  #served: string;
  #refused: string | undefined;
  #running: Promise<TlsReloadOutcome> | undefined;
  #again = false;
  #stopped = false;
  #poll: NodeJS.Timeout | undefined;
  #settle: NodeJS.Timeout | undefined;
  readonly #watchers: FSWatcher[] = [];

  private constructor(
    readonly certFile: string,
    readonly keyFile: string,
    pair: TlsPair,
    context: SecureContext,
    private readonly options: TlsReloadOptions,
  ) {
    this.#context = context;
    this.#served = digest(pair);
  }

  /**
   * Reads and checks the files, then follows them; undefined when TLS is not
   * configured (STARTTLS/STLS are then not offered). stop() ends the following.
   *
   * @throws TlsPairError naming the variable when only one file is set, a file
   *   cannot be read, or the certificate and key cannot be used.
   */
  static async load(files: TlsFiles, options: TlsReloadOptions): Promise<TlsCertificates | undefined> {
    const { tlsCertFile, tlsKeyFile } = files;
    if (tlsCertFile === undefined && tlsKeyFile === undefined) return undefined;
    if (tlsCertFile === undefined || tlsKeyFile === undefined) throw new TlsPairError('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
    const pair = await readTlsPair(tlsCertFile, tlsKeyFile);
    const { context } = usableTlsPair(pair);
    recordCertificateExpiry(tlsCertFile, pair.cert);
    reloads ??= metrics.getMeter('@mail/runtime').createCounter('mail_tls_reloads_total', { description: 'Changed TLS certificate files taken into service (reloaded) or refused as unusable' });
    reloads.add(0, { outcome: 'reloaded' });
    reloads.add(0, { outcome: 'refused' });
    const certificates = new TlsCertificates(tlsCertFile, tlsKeyFile, pair, context, options);
    certificates.#follow();
    return certificates;
  }

  current(): SecureContext {
    return this.#context;
  }

  /**
   * Reads the files now and serves them if they changed and can be used. A
   * call during a reload shares it, and it reads the files once more before
   * it ends; its outcome is the last change it saw ('unchanged' if none).
   */
  reload(): Promise<TlsReloadOutcome> {
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    const run = async (): Promise<TlsReloadOutcome> => {
      let outcome: TlsReloadOutcome = 'unchanged';
      do {
        this.#again = false;
        const seen = await this.#reloadOnce();
        if (seen !== 'unchanged') outcome = seen;
      } while (this.#again && !this.#stopped);
      return outcome;
    };
    this.#running = run().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Stops watching and polling; the current context stays usable. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#poll);
    clearTimeout(this.#settle);
    for (const watcher of this.#watchers.splice(0)) watcher.close();
  }

  async #reloadOnce(): Promise<TlsReloadOutcome> {
    let pair: TlsPair;
    try {
      pair = await readTlsPair(this.certFile, this.keyFile);
    } catch (error) {
      return this.#refuse((error as Error).message, error);
    }
    const pairDigest = digest(pair);
    if (pairDigest === this.#served) {
      this.#refused = undefined;
      return 'unchanged';
    }
    let usable: UsableTlsPair;
    try {
      usable = usableTlsPair(pair);
    } catch (error) {
      return this.#refuse(pairDigest, error);
    }
    const { context, certificate } = usable;
    this.#context = context;
    this.#served = pairDigest;
    this.#refused = undefined;
    recordCertificateExpiry(this.certFile, pair.cert);
    reloads?.add(1, { outcome: 'reloaded' });
    this.options.log.info({ certFile: this.certFile, subject: certificate.subject, notAfter: certificate.validTo, fingerprint256: certificate.fingerprint256 }, 'TLS certificate reloaded');
    return 'reloaded';
  }

  /** Keeps the served pair; counts and warns once per distinct problem (the files are read again every interval). */
  #refuse(problem: string, error: unknown): TlsReloadOutcome {
    if (this.#refused === problem) return 'refused';
    this.#refused = problem;
    reloads?.add(1, { outcome: 'refused' });
    this.options.log.warn({ err: error, certFile: this.certFile, keyFile: this.keyFile }, 'TLS files changed but cannot be used; still serving the previous certificate');
    return 'refused';
  }

  #follow(): void {
    if (this.options.intervalMs <= 0) return;
    const reload = (): void => void this.reload().catch((error: unknown) => this.options.log.warn({ err: error }, 'TLS reload failed'));
    this.#poll = setInterval(reload, this.options.intervalMs).unref();
    for (const directory of new Set([dirname(this.certFile), dirname(this.keyFile)])) {
      try {
        const watcher = watch(directory, { persistent: false }, () => {
          clearTimeout(this.#settle);
          this.#settle = setTimeout(reload, this.options.settleMs ?? 250).unref();
        });
        watcher.on('error', (error) => {
          this.options.log.warn({ err: error, directory }, 'cannot watch the TLS directory; reading the files every TLS_RELOAD_INTERVAL only');
          watcher.close();
        });
        this.#watchers.push(watcher);
      } catch (error) {
        this.options.log.warn({ err: error, directory }, 'cannot watch the TLS directory; reading the files every TLS_RELOAD_INTERVAL only');
      }
    }
  }
}

/** Identifies a pair's content; the digest of an unusable pair is remembered so it is reported once. */
function digest(pair: TlsPair): string {
  return createHash('sha256').update(pair.cert).update('\0').update(pair.key).digest('hex');
}

/**
 * The secure context of TLS_CERT_FILE/TLS_KEY_FILE read once and never
 * reloaded, for a listener not yet moved to TlsCertificates (prefer it: a
 * renewal is then served without a restart). Throws as TlsCertificates.load.
 */
export async function loadTlsContext(files: TlsFiles): Promise<SecureContext | undefined> {
  const quiet = { info: () => undefined, warn: () => undefined };
  return (await TlsCertificates.load(files, { intervalMs: 0, log: quiet }))?.current();
}
