/**
 * The metrics imap-server exports on /metrics (through @mail/telemetry's
 * meter), behind an interface so handlers can be tested without OpenTelemetry.
 * deploy/ reads them: the autoscaler scales on mail_imap_sessions_active, the
 * alerts compare it with mail_imap_sessions_limit and watch the logins and
 * mail_imap_server_failures_total, the IMAP dashboard shows them all.
 */
import type { ResponseCode } from '@mail/imap';
import { CONNECTION_REFUSAL_REASONS, type ConnectionRefusal } from '@mail/login-limits';
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

/**
 * Response codes of a NO that is the server's failure, not the client's
 * (RFC 5530 §3): UNAVAILABLE, a subsystem is down (mailbox-store or Redis
 * did not answer); SERVERBUG, the server hit a bug. Other refusals
 * (NONEXISTENT, AUTHENTICATIONFAILED, OVERQUOTA, ...) are answers to the client.
 */
export const SERVER_FAILURE_CODES = ['UNAVAILABLE', 'SERVERBUG'] as const;
export type ServerFailureCode = (typeof SERVER_FAILURE_CODES)[number];

/** How a command ended (RFC 9051 §7.1: tagged OK, NO or BAD). */
export type CommandStatus = 'OK' | 'NO' | 'BAD';

/** What else is known about a finished command. */
export interface CommandOutcome {
  /** From the command framed to its answer decided (IDLE: until DONE). */
  readonly seconds?: number;
  /** The response code of a refusal. */
  readonly code?: ResponseCode;
}

/** Buckets of the command duration: a cached FLAGS answer in a millisecond, a FETCH of a large mailbox in seconds. */
const COMMAND_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What sessions report. */
export interface ImapMetrics {
  sessionStarted(): void;
  sessionEnded(): void;
  /** A session entered IDLE, or left it. */
  idleChanged(delta: 1 | -1): void;
  /** A command finished with this status (OK, NO, BAD). */
  command(kind: string, status: CommandStatus, outcome?: CommandOutcome): void;
  login(result: LoginResult): void;
  authFailure(mechanism: AuthMechanism): void;
  /** Message octets sent in FETCH sections. */
  fetchOctets(octets: number): void;
  /** A connection got BYE instead of the greeting: its network's slots (per-ip) or the process's cap (capacity). */
  connectionRefused(reason: ConnectionRefusal): void;
  authLockout(scope: LockoutScope): void;
}

/** What the process is configured to hold, exported beside what it holds. */
export interface ImapMetricLimits {
  /** IMAP_MAX_CONNECTIONS: sessions over IMAP and IMAPS together, beyond which connections get BYE. */
  readonly maxConnections?: number;
}

/** The code of a refusal that is the server's failure, if it is one. */
function serverFailureOf(code: ResponseCode | undefined): ServerFailureCode | undefined {
  return SERVER_FAILURE_CODES.find((failure) => failure === code);
}

/** ImapMetrics on an OpenTelemetry meter. */
export function createImapMetrics(meter: Telemetry['meter'], limits: ImapMetricLimits = {}): ImapMetrics {
  const sessions = meter.createCounter('mail_imap_sessions_total', { description: 'IMAP connections accepted' });
  const active = meter.createUpDownCounter('mail_imap_sessions_active', { description: 'IMAP sessions open now' });
  const idling = meter.createUpDownCounter('mail_imap_sessions_idle', { description: 'IMAP sessions in IDLE now' });
  const commands = meter.createCounter('mail_imap_commands_total', { description: 'IMAP commands answered, by command and status' });
  const durations = meter.createHistogram('mail_imap_command_duration_seconds', {
    description: 'Time from an IMAP command read to its answer decided, by command (IDLE lasts until DONE)',
    unit: 's',
    advice: { explicitBucketBoundaries: COMMAND_SECONDS_BUCKETS },
  });
  const serverFailures = meter.createCounter('mail_imap_server_failures_total', {
    description: 'IMAP commands refused because of the server, by response code (UNAVAILABLE: mailbox-store or Redis did not answer; SERVERBUG)',
  });
  const logins = meter.createCounter('mail_imap_logins_total', { description: 'IMAP login attempts by result' });
  const authFailures = meter.createCounter('mail_imap_auth_failures_total', { description: 'IMAP credential checks that failed, by mechanism' });
  const fetchBytes = meter.createCounter('mail_imap_fetch_bytes_total', { description: 'Message octets sent in FETCH sections', unit: 'By' });
  const refused = meter.createCounter('mail_imap_connections_refused_total', { description: 'IMAP connections refused before the greeting, by reason (per-ip, capacity)' });
  const lockouts = meter.createCounter('mail_imap_auth_lockouts_total', { description: 'Brute-force lock-outs begun, by scope (user, ip)' });
  const { maxConnections } = limits;
  if (maxConnections !== undefined)
    meter.createObservableGauge('mail_imap_sessions_limit', { description: 'Sessions one process holds at most (IMAP_MAX_CONNECTIONS)' }).addCallback((result) => result.observe(maxConnections));
  // Every known label set exists at 0 from start-up (rate() and alerts see the counters before the first event)
  sessions.add(0);
  active.add(0);
  idling.add(0);
  fetchBytes.add(0);
  for (const reason of CONNECTION_REFUSAL_REASONS) refused.add(0, { reason });
  for (const result of LOGIN_RESULTS) logins.add(0, { result });
  for (const mechanism of AUTH_MECHANISMS) authFailures.add(0, { mechanism });
  for (const scope of LOCKOUT_SCOPES) lockouts.add(0, { scope });
  for (const code of SERVER_FAILURE_CODES) serverFailures.add(0, { code });
  return {
    sessionStarted: () => {
      sessions.add(1);
      active.add(1);
    },
    sessionEnded: () => active.add(-1),
    idleChanged: (delta) => idling.add(delta),
    command: (kind, status, outcome = {}) => {
      commands.add(1, { command: kind, status });
      if (outcome.seconds !== undefined) durations.record(outcome.seconds, { command: kind });
      const failure = status === 'NO' ? serverFailureOf(outcome.code) : undefined;
      if (failure !== undefined) serverFailures.add(1, { code: failure });
    },
    login: (result) => logins.add(1, { result }),
    authFailure: (mechanism) => authFailures.add(1, { mechanism }),
    fetchOctets: (octets) => fetchBytes.add(octets),
    connectionRefused: (reason) => refused.add(1, { reason }),
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
