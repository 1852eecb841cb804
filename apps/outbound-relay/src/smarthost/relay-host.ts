/**
 * The smarthost (OUTBOUND_RELAY_HOST): when set, every message goes to it
 * instead of the recipients' MX hosts — for clusters whose provider blocks
 * outbound port 25. The address follows Postfix's `relayhost`:
 * `[host]:port` names the host itself (no MX lookup), a plain `host:port`
 * is looked up as a mail domain (its MX records, else its own addresses,
 * RFC 5321 §5.1). The port defaults to 587, message submission (RFC 6409
 * §3.1; Postfix defaults to 25, but a smarthost that wants AUTH listens on
 * 587), or 465 with OUTBOUND_RELAY_TLS=implicit (RFC 8314 §3.3).
 *
 * TLS is required (STARTTLS, RFC 3207, or implicit TLS) with a certificate
 * that chains to a trusted CA (Node's roots and OUTBOUND_RELAY_TLS_CA_FILE)
 * and names the host; AUTH goes only over it. OUTBOUND_RELAY_TLS=none is
 * for a smarthost on loopback (a test sink, a sidecar) and nothing else.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { ConfigError, type Reader } from '@mail/config';

/** How the smarthost is reached: STARTTLS (default), TLS from the first octet, or in the clear on loopback only. */
export type RelayTlsMode = 'starttls' | 'implicit' | 'none';

export const relayTlsModes: readonly RelayTlsMode[] = ['starttls', 'implicit', 'none'];

/** OUTBOUND_RELAY_HOST as written: the host, its port if given, and whether it names a mail domain (MX lookup). */
export interface RelayHostAddress {
  readonly host: string;
  readonly port: number | undefined;
  readonly mxLookup: boolean;
}

/** Everything the relay needs to deliver through the smarthost. */
export interface Smarthost {
  readonly host: string;
  readonly port: number;
  readonly mxLookup: boolean;
  readonly tls: RelayTlsMode;
  /** PEM of OUTBOUND_RELAY_TLS_CA_FILE, trusted besides Node's roots. */
  readonly ca: string | undefined;
  /** Absent: no AUTH. */
  readonly credentials: SmarthostCredentials | undefined;
}

/** The user name and where the password comes from (a file is read again for each new connection: a rotated Secret applies without a restart). */
export interface SmarthostCredentials {
  readonly user: string;
  readonly password: { readonly value: string } | { readonly file: string; readonly readAtStart: string };
}

const hostForm = 'host, host:port, [host] or [host]:port (brackets: no MX lookup; IPv6 as [2001:db8::1]:587)';

/** Reads OUTBOUND_RELAY_HOST; undefined when unset (deliver to the recipients' MX hosts). */
export function relayHost(name: string): Reader<RelayHostAddress | undefined> {
  return (env) => {
    const value = env[name]?.trim();
    if (value === undefined || value === '') return undefined;
    const address = parseRelayHost(value);
    if (!address) throw new ConfigError(name, hostForm, value);
    return address;
  };
}

/** `[host]:port`, `host:port`, `[ipv6:addr]` (Postfix's spelling) and `[addr]`; undefined when malformed. */
export function parseRelayHost(value: string): RelayHostAddress | undefined {
  const match = /^(?:\[([^\]\s]+)\]|([^\s:[\]]+))(?::(\d{1,5}))?$/.exec(value);
  if (!match) return undefined;
  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const bracketed = match[1]?.replace(/^ipv6:/i, '');
  const host = (bracketed ?? match[2] ?? '').toLowerCase().replace(/\.$/, '');
  if (host === '' || (isIP(host) === 0 && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host))) return undefined;
  // An address is never looked up as a mail domain
  return { host, port, mxLookup: bracketed === undefined && isIP(host) === 0 };
}

/** The relay's smarthost settings as the config holds them. */
export interface SmarthostConfig {
  readonly relayHost: RelayHostAddress | undefined;
  readonly relayUsername: string | undefined;
  readonly relayPassword: string | undefined;
  readonly relayPasswordFile: string | undefined;
  readonly relayTls: RelayTlsMode;
  readonly relayTlsCaFile: string | undefined;
}

/** RFC 6409 §3.1 submission, RFC 8314 §3.3 submissions. */
export const defaultRelayPort = (tls: RelayTlsMode): number => (tls === 'implicit' ? 465 : 587);

/** Checks the variables together; undefined without OUTBOUND_RELAY_HOST. Reads the CA and password files once, so a wrong path stops the start. */
export function smarthostOf(config: SmarthostConfig): Smarthost | undefined {
  const { relayHost: address, relayUsername: user, relayPassword, relayPasswordFile } = config;
  if (!address) {
    const stray = [user && 'OUTBOUND_RELAY_USERNAME', relayPassword && 'OUTBOUND_RELAY_PASSWORD', relayPasswordFile && 'OUTBOUND_RELAY_PASSWORD_FILE'].find(Boolean);
    if (stray) throw new ConfigError('OUTBOUND_RELAY_HOST', `set, since ${stray} is (credentials are for a smarthost)`, undefined);
    return undefined;
  }
  if (relayPassword !== undefined && relayPasswordFile !== undefined) throw new ConfigError('OUTBOUND_RELAY_PASSWORD', 'unset when OUTBOUND_RELAY_PASSWORD_FILE is set (one of the two)', '(hidden)');
  const hasPassword = relayPassword !== undefined || relayPasswordFile !== undefined;
  if (user === undefined && hasPassword) throw new ConfigError('OUTBOUND_RELAY_USERNAME', 'set together with a password', undefined);
  if (user !== undefined && !hasPassword) throw new ConfigError('OUTBOUND_RELAY_PASSWORD', 'set (or OUTBOUND_RELAY_PASSWORD_FILE) together with OUTBOUND_RELAY_USERNAME', undefined);
  // Credentials and mail in the clear only where nothing but this machine can read them
  if (config.relayTls === 'none' && !isLoopback(address)) {
    throw new ConfigError('OUTBOUND_RELAY_TLS', 'starttls or implicit unless OUTBOUND_RELAY_HOST is a loopback address ([127.0.0.1], [::1], [localhost])', 'none');
  }
  const password = relayPasswordFile !== undefined ? { file: relayPasswordFile, readAtStart: readSecretFile('OUTBOUND_RELAY_PASSWORD_FILE', relayPasswordFile) } : { value: relayPassword ?? '' };
  return {
    host: address.host,
    port: address.port ?? defaultRelayPort(config.relayTls),
    mxLookup: address.mxLookup,
    tls: config.relayTls,
    ca: config.relayTlsCaFile === undefined ? undefined : readSecretFile('OUTBOUND_RELAY_TLS_CA_FILE', config.relayTlsCaFile),
    credentials: user === undefined ? undefined : { user, password },
  };
}

function isLoopback(address: RelayHostAddress): boolean {
  if (address.mxLookup) return false;
  return address.host === 'localhost' || address.host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address.host);
}

/** A file's text without the final line end (Secrets are often written with one). */
export function secretText(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function readSecretFile(variable: string, path: string): string {
  try {
    return secretText(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(variable, `a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, path);
  }
}
