/** Parse a configuration shape once at start-up. */
import { ConfigError } from './config-error';
import type { Env, Reader } from './readers';

export type ConfigShape = Record<string, Reader<unknown>>;
export type ParsedConfig<S extends ConfigShape> = { [K in keyof S]: S[K] extends Reader<infer T> ? T : never };

/** Parse the shape; throws the first ConfigError. */
export function readConfig<S extends ConfigShape>(shape: S, env: Env = process.env): ParsedConfig<S> {
  const result: Record<string, unknown> = {};
  for (const [key, reader] of Object.entries(shape)) result[key] = reader(env);
  return result as ParsedConfig<S>;
}

/**
 * Parse the shape for a service; on a bad value print one line naming the
 * variable and exit with status 78 (EX_CONFIG).
 */
export function loadConfig<S extends ConfigShape>(service: string, shape: S, env: Env = process.env): ParsedConfig<S> {
  try {
    return readConfig(shape, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${service}: configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
