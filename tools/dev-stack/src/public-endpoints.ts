/**
 * The ports people and mail clients talk to, as the services will read them
 * from the environment (same variables, same defaults), for the pre-flight
 * port check and the summary.
 */

export interface PublicEndpoints {
  /** Host to connect to (LISTEN_HOST, or loopback when the services listen everywhere). */
  host: string;
  smtp: number;
  submission: number;
  pop3: number;
}

/** Reads SMTP_PORT, SUBMISSION_PORT, POP3_PORT and LISTEN_HOST like the services do. */
export function publicEndpoints(env: NodeJS.ProcessEnv): PublicEndpoints {
  const listen = env['LISTEN_HOST']?.trim();
  const host = listen === undefined || listen === '' || listen === '0.0.0.0' || listen === '::' ? '127.0.0.1' : listen;
  return {
    host,
    smtp: portFrom(env['SMTP_PORT'], 2525),
    submission: portFrom(env['SUBMISSION_PORT'], 2587),
    pop3: portFrom(env['POP3_PORT'], 1110),
  };
}

/** A valid port number, or the default (the service itself reports a bad value). */
function portFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || !/^\d+$/.test(value.trim())) return fallback;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : fallback;
}
