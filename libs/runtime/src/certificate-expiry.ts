/**
 * `mail_tls_certificate_expiry_seconds{file}`: when the certificate a
 * service serves stops being valid (its notAfter, RFC 5280 §4.1.2.5), as
 * Unix time in seconds, for each certificate file it loaded. An alert
 * compares it with time() (deploy/prometheus/alerts.yaml,
 * MailTlsCertificateExpiresSoon): a renewal that did not happen, or one the
 * service did not pick up, shows days before clients refuse the handshake.
 */
import { X509Certificate } from 'node:crypto';
import { metrics } from '@opentelemetry/api';

const expiries = new Map<string, number>();
let observed = false;

/** The notAfter of the first (leaf) certificate of a PEM chain, in Unix seconds. */
export function certificateExpiry(pem: Buffer | string): number {
  return Math.floor(new Date(new X509Certificate(pem).validTo).getTime() / 1000);
}

/** Record the expiry of the certificate loaded from `file`; the gauge reports the latest of each file. */
export function recordCertificateExpiry(file: string, pem: Buffer | string): number {
  const expiry = certificateExpiry(pem);
  expiries.set(file, expiry);
  if (!observed) {
    observed = true;
    metrics
      .getMeter('@mail/runtime')
      .createObservableGauge('mail_tls_certificate_expiry_seconds', { description: 'Unix time at which the served TLS certificate expires (notAfter)', unit: 's' })
      .addCallback((result) => {
        for (const [path, seconds] of expiries) result.observe(seconds, { file: path });
      });
  }
  return expiry;
}
