/**
 * The metrics pop3-server exports on /metrics (through @mail/telemetry's
 * meter), behind an interface so handlers can be tested without OpenTelemetry.
 */
import type { Telemetry } from '@mail/telemetry';

/**
 * How a login attempt ended: accepted, wrong credentials, maildrop locked, a
 * system failure, refused by the brute-force limits, or within LOGIN-DELAY.
 */
export const LOGIN_RESULTS = ['success', 'failure', 'in-use', 'error', 'blocked', 'login-delay'] as const;
export type LoginResult = (typeof LOGIN_RESULTS)[number];

/** The command that carried credentials. */
export const AUTH_MECHANISMS = ['pass', 'plain', 'apop'] as const;
export type AuthMechanism = (typeof AUTH_MECHANISMS)[number];

/** Why a connection was refused before its greeting (limits/connection-slots.ts). */
export const CONNECTION_REFUSAL_REASONS = ['per-ip', 'capacity'] as const;
export type ConnectionRefusalReason = (typeof CONNECTION_REFUSAL_REASONS)[number];

/** Which brute-force count reached its limit: the user name's or the client network's. */
export const LOCKOUT_SCOPES = ['user', 'ip'] as const;
export type LockoutScope = (typeof LOCKOUT_SCOPES)[number];

/** What sessions report. */
export interface Pop3Metrics {
  /** A connection was accepted and greeted. */
  sessionStarted(): void;
  /** A session ended (for the gauge of open sessions). */
  sessionEnded(): void;
  /** A USER/PASS, AUTH or APOP attempt finished. */
  login(result: LoginResult): void;
  /** Credentials were checked and found wrong (what the brute-force limits count). */
  authFailure(mechanism: AuthMechanism): void;
  /** Message octets (before byte-stuffing) sent by RETR. */
  retrOctets(octets: number): void;
  /** A connection got `-ERR [SYS/TEMP]` instead of the greeting. */
  connectionRefused(reason: ConnectionRefusalReason): void;
  /** A failed login brought a count to its limit: a lock-out begins (counted once across replicas). */
  authLockout(scope: LockoutScope): void;
}

/** Pop3Metrics on an OpenTelemetry meter. */
export function createPop3Metrics(meter: Telemetry['meter']): Pop3Metrics {
  const sessions = meter.createCounter('mail_pop3_sessions_total', { description: 'POP3 connections accepted' });
  const active = meter.createUpDownCounter('mail_pop3_sessions_active', { description: 'POP3 sessions open now' });
  const logins = meter.createCounter('mail_pop3_logins_total', { description: 'POP3 login attempts by result' });
  const authFailures = meter.createCounter('mail_pop3_auth_failures_total', { description: 'POP3 credential checks that failed, by mechanism' });
  const retrBytes = meter.createCounter('mail_pop3_retr_bytes_total', {
    description: 'Message octets sent by RETR, before byte-stuffing',
    unit: 'By',
  });
  const refused = meter.createCounter('mail_pop3_connections_refused_total', { description: 'POP3 connections refused before the greeting, by reason (per-ip, capacity)' });
  const lockouts = meter.createCounter('mail_pop3_auth_lockouts_total', { description: 'Brute-force lock-outs begun, by scope (user, ip)' });
  // Every known label set exists at 0 from start-up (rate() and alerts see the counters before the first event)
  retrBytes.add(0);
  sessions.add(0);
  active.add(0);
  for (const result of LOGIN_RESULTS) logins.add(0, { result });
  for (const mechanism of AUTH_MECHANISMS) authFailures.add(0, { mechanism });
  for (const reason of CONNECTION_REFUSAL_REASONS) refused.add(0, { reason });
  for (const scope of LOCKOUT_SCOPES) lockouts.add(0, { scope });
  return {
    sessionStarted: () => {
      sessions.add(1);
      active.add(1);
    },
    sessionEnded: () => active.add(-1),
    login: (result) => logins.add(1, { result }),
    authFailure: (mechanism) => authFailures.add(1, { mechanism }),
    retrOctets: (octets) => retrBytes.add(octets),
    connectionRefused: (reason) => refused.add(1, { reason }),
    authLockout: (scope) => lockouts.add(1, { scope }),
  };
}

/** Metrics that go nowhere (unit tests). */
export const noMetrics: Pop3Metrics = {
  sessionStarted: () => undefined,
  sessionEnded: () => undefined,
  login: () => undefined,
  authFailure: () => undefined,
  retrOctets: () => undefined,
  connectionRefused: () => undefined,
  authLockout: () => undefined,
};
