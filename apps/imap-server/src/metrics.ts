/**
 * The metrics imap-server exports on /metrics (through @mail/telemetry's
 * meter), behind an interface so handlers can be tested without OpenTelemetry.
 */
import type { Telemetry } from '@mail/telemetry';

/** How a login attempt ended: accepted, wrong credentials, a system failure, or refused by the brute-force limits. */
export const LOGIN_RESULTS = ['success', 'failure', 'error', 'blocked'] as const;
export type LoginResult = (typeof LOGIN_RESULTS)[number];

/** The command that carried credentials. */
export const AUTH_MECHANISMS = ['login', 'plain'] as const;
export type AuthMechanism = (typeof AUTH_MECHANISMS)[number];

/** Which brute-force count reached its limit: the user name's or the client network's. */
export const LOCKOUT_SCOPES = ['user', 'ip'] as const;
export type LockoutScope = (typeof LOCKOUT_SCOPES)[number];

/** What sessions report. */
export interface ImapMetrics {
  sessionStarted(): void;
  sessionEnded(): void;
  /** A session entered IDLE, or left it. */
  idleChanged(delta: 1 | -1): void;
  /** A command finished with this status (OK, NO, BAD). */
  command(kind: string, status: 'OK' | 'NO' | 'BAD'): void;
  login(result: LoginResult): void;
  authFailure(mechanism: AuthMechanism): void;
  /** Message octets sent in FETCH sections. */
  fetchOctets(octets: number): void;
  /** A connection got BYE instead of the greeting (the process's cap). */
  connectionRefused(): void;
  authLockout(scope: LockoutScope): void;
}

/** ImapMetrics on an OpenTelemetry meter. */
export function createImapMetrics(meter: Telemetry['meter']): ImapMetrics {
  const sessions = meter.createCounter('mail_imap_sessions_total', { description: 'IMAP connections accepted' });
  const active = meter.createUpDownCounter('mail_imap_sessions_active', { description: 'IMAP sessions open now' });
  const idling = meter.createUpDownCounter('mail_imap_sessions_idle', { description: 'IMAP sessions in IDLE now' });
  const commands = meter.createCounter('mail_imap_commands_total', { description: 'IMAP commands answered, by command and status' });
  const logins = meter.createCounter('mail_imap_logins_total', { description: 'IMAP login attempts by result' });
  const authFailures = meter.createCounter('mail_imap_auth_failures_total', { description: 'IMAP credential checks that failed, by mechanism' });
  const fetchBytes = meter.createCounter('mail_imap_fetch_bytes_total', { description: 'Message octets sent in FETCH sections', unit: 'By' });
  const refused = meter.createCounter('mail_imap_connections_refused_total', { description: 'IMAP connections refused before the greeting' });
  const lockouts = meter.createCounter('mail_imap_auth_lockouts_total', { description: 'Brute-force lock-outs begun, by scope (user, ip)' });
  // Every known label set exists at 0 from start-up (rate() and alerts see the counters before the first event)
  sessions.add(0);
  active.add(0);
  idling.add(0);
  fetchBytes.add(0);
  refused.add(0);
  for (const result of LOGIN_RESULTS) logins.add(0, { result });
  for (const mechanism of AUTH_MECHANISMS) authFailures.add(0, { mechanism });
  for (const scope of LOCKOUT_SCOPES) lockouts.add(0, { scope });
  return {
    sessionStarted: () => {
      sessions.add(1);
      active.add(1);
    },
    sessionEnded: () => active.add(-1),
    idleChanged: (delta) => idling.add(delta),
    command: (kind, status) => commands.add(1, { command: kind, status }),
    login: (result) => logins.add(1, { result }),
    authFailure: (mechanism) => authFailures.add(1, { mechanism }),
    fetchOctets: (octets) => fetchBytes.add(octets),
    connectionRefused: () => refused.add(1),
    authLockout: (scope) => lockouts.add(1, { scope }),
  };
}

/** Metrics that go nowhere (unit tests). */
export const noMetrics: ImapMetrics = {
  sessionStarted: () => undefined,
  sessionEnded: () => undefined,
  idleChanged: () => undefined,
  command: () => undefined,
  login: () => undefined,
  authFailure: () => undefined,
  fetchOctets: () => undefined,
  connectionRefused: () => undefined,
  authLockout: () => undefined,
};
