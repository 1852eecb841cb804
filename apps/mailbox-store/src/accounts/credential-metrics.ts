/** Counters of password verifications, exported on /metrics: how many scrypt spared, how many refused. */
import type { Meter } from '@opentelemetry/api';
import type { VerificationOutcome } from './password';
import type { VerifiedCredentials } from './verified-credentials';

export interface CredentialMetrics {
  observe(outcome: VerificationOutcome): void;
}

export function createCredentialMetrics(meter: Meter, verified: VerifiedCredentials): CredentialMetrics {
  const checks = meter.createCounter('mailbox_store_password_checks', {
    description: 'Password verifications by outcome: verified (by scrypt), cached (a recent success, no scrypt), refused (wrong password or unknown user, always by scrypt)',
  });
  meter
    .createObservableGauge('mailbox_store_password_cache_entries', { description: 'Recent successful logins kept to spare scrypt (AUTH_CACHE_TTL, AUTH_CACHE_ENTRIES)' })
    .addCallback((result) => result.observe(verified.size));
  return { observe: (outcome) => checks.add(1, { outcome }) };
}
