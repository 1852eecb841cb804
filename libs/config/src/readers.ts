/**
 * Readers: each takes the environment and returns one typed value or throws
 * a ConfigError naming the variable.
 */
import { ConfigError } from './config-error';

export type Env = Record<string, string | undefined>;
export type Reader<T> = (env: Env) => T;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A required string, or the default when given. */
export function string(name: string, fallback?: string): Reader<string> {
  return (env) => {
    const value = raw(env, name) ?? fallback;
    if (value === undefined) throw new ConfigError(name, 'a non-empty string', undefined);
    return value;
  };
}

export function optionalString(name: string): Reader<string | undefined> {
  return (env) => raw(env, name);
}

export function int(name: string, fallback: number, range: { min?: number; max?: number } = {}): Reader<number> {
  const min = range.min ?? Number.MIN_SAFE_INTEGER;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) throw new ConfigError(name, `an integer between ${min} and ${max}`, value);
    const n = Number(value);
    if (n < min || n > max) throw new ConfigError(name, `an integer between ${min} and ${max}`, value);
    return n;
  };
}

/** A TCP port; 0 asks the OS for a free one (used by tests). */
export function port(name: string, fallback: number): Reader<number> {
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) > 65535) throw new ConfigError(name, 'a port number (0-65535)', value);
    return Number(value);
  };
}

/** A TCP port, or undefined when the variable is unset: a listener that is off unless asked for (POP3S, submissions). */
export function optionalPort(name: string): Reader<number | undefined> {
  const read = port(name, 0);
  return (env) => (raw(env, name) === undefined ? undefined : read(env));
}

export function bool(name: string, fallback: boolean): Reader<boolean> {
  return (env) => {
    const value = raw(env, name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    throw new ConfigError(name, 'true or false', value);
  };
}

export function url(name: string, fallback: string, protocols: string[]): Reader<string> {
  return (env) => {
    const value = raw(env, name) ?? fallback;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(name, `a URL (${protocols.join(', ')})`, value);
    }
    if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
      throw new ConfigError(name, `a URL with scheme ${protocols.join(' or ')}`, value);
    }
    return value;
  };
}

/** A comma-separated list; empty entries are dropped. */
export function list(name: string, fallback: string[] = []): Reader<string[]> {
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  };
}

/** A comma-separated list of host:port (IPv6 as [addr]:port); port defaults to `defaultPort`. */
export function hostPortList(name: string, defaultPort: number): Reader<{ host: string; port: number }[]> {
  const itemPattern = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+))(?::(\d{1,5}))?$/;
  return (env) =>
    list(name)(env).map((item) => {
      const match = itemPattern.exec(item);
      const portText = match?.[3];
      if (!match || (portText !== undefined && Number(portText) > 65535)) {
        throw new ConfigError(name, 'a comma-separated list of host[:port] (IPv6 as [addr]:port)', item);
      }
      return { host: (match[1] ?? match[2]) as string, port: portText === undefined ? defaultPort : Number(portText) };
    });
}

export function enumOf<T extends string>(name: string, values: readonly T[], fallback: T): Reader<T> {
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    if (!(values as readonly string[]).includes(value)) throw new ConfigError(name, `one of ${values.join(', ')}`, value);
    return value as T;
  };
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `250ms`, `30s`, `5m`, `4h`, `5d`; a bare number is milliseconds. Returns milliseconds. */
export function duration(name: string, fallback: string): Reader<number> {
  return (env) => {
    const value = raw(env, name) ?? fallback;
    const ms = parseDuration(value);
    if (ms === undefined) throw new ConfigError(name, 'a duration like 500ms, 30s, 5m, 4h or 5d', value);
    return ms;
  };
}

export function parseDuration(value: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * (durationUnits[match[2] ?? 'ms'] ?? 1);
}
