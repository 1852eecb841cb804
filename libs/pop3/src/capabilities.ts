// The CAPA reply (RFC 2449 §5): the status line and one capability per line,
// as a complete multi-line response. Which capabilities to offer in which
// state (e.g. STLS only before TLS) is the session's decision.

import { formatListing } from './multiline';
import { ok } from './response';

/** What the server offers right now; see {@link formatCapabilities}. */
export interface Pop3CapabilityOptions {
  /** Offer STARTTLS (RFC 2595 §4: the STLS capability). */
  readonly stls: boolean;
  /** SASL mechanisms for AUTH (RFC 2449 §6.3); an empty list omits the SASL line. */
  readonly sasl: readonly string[];
  /** Offer USER/PASS (RFC 2449 §6.2). */
  readonly user: boolean;
  /**
   * Retention policy (RFC 2449 §6.7): `NEVER` or a number of days, followed
   * by ` USER` when it varies per user (AUTHORIZATION state only).
   */
  readonly expire?: string;
  /** Free-form server name and version (RFC 2449 §6.9). */
  readonly implementation?: string;
  /** Minimum seconds between logins (RFC 2449 §6.5). */
  readonly loginDelay?: number;
  /** Announce that credential failures carry `[AUTH]` (RFC 3206, AUTH-RESP-CODE). */
  readonly authRespCode?: boolean;
}

/**
 * The complete CAPA response, status line to terminator.
 *
 * Always lists TOP (RFC 2449 §6.1), UIDL (§6.8), RESP-CODES (§6.4) and
 * PIPELINING (§6.6): this library implements the first three, and a session
 * that reads commands with CommandLineSplitter and answers them in order
 * supports the fourth. The rest follows `options`.
 *
 * @throws RangeError if an option would produce a malformed capability line.
 */
export function formatCapabilities(options: Pop3CapabilityOptions): string {
  const lines = ['TOP', 'UIDL'];
  if (options.user) lines.push('USER');
  lines.push('RESP-CODES');
  if (options.authRespCode === true) lines.push('AUTH-RESP-CODE');
  lines.push('PIPELINING');
  if (options.sasl.length > 0) lines.push(`SASL ${options.sasl.map(saslMechanism).join(' ')}`);
  if (options.stls) lines.push('STLS');
  if (options.expire !== undefined) lines.push(`EXPIRE ${expirePolicy(options.expire)}`);
  if (options.implementation !== undefined) lines.push(`IMPLEMENTATION ${implementation(options.implementation)}`);
  if (options.loginDelay !== undefined) lines.push(`LOGIN-DELAY ${loginDelay(options.loginDelay)}`);
  // RFC 2449 §5: a positive response followed by a multi-line list.
  return ok('Capability list follows') + formatListing(lines);
}

// RFC 4422 §3.1: 1-20 characters of upper-case letters, digits, "-" and "_".
function saslMechanism(name: string): string {
  if (!/^[A-Z0-9_-]{1,20}$/.test(name)) throw new RangeError('SASL mechanism names are 1-20 of A-Z 0-9 - _');
  return name;
}

// RFC 2449 §6.7: EXPIRE ("NEVER" / days) [" USER"].
function expirePolicy(value: string): string {
  if (!/^(?:NEVER|[0-9]+)(?: USER)?$/.test(value)) {
    throw new RangeError('EXPIRE must be NEVER or a number of days, optionally followed by " USER"');
  }
  return value;
}

// RFC 2449 §6.9: implementation text; printable, one line.
function implementation(value: string): string {
  if (!/^[\x20-\x7e]+$/.test(value) || value.trim() === '') {
    throw new RangeError('IMPLEMENTATION must be non-empty printable ASCII');
  }
  return value;
}

// RFC 2449 §6.5: LOGIN-DELAY minimum-seconds.
function loginDelay(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError('LOGIN-DELAY must be a non-negative integer number of seconds');
  }
  return String(seconds);
}
