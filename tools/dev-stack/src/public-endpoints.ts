/**
 * The ports people and mail clients talk to, as the services will read them
 * from the environment (same variables, same defaults), for the pre-flight
 * port check and the summary.
 */
import { listeners, type Listener } from '@mail/service-catalog';

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
    smtp: listenerPort(listeners.smtp, env) ?? listeners.smtp.defaultPort,
    submission: listenerPort(listeners.submission, env) ?? listeners.submission.defaultPort,
    pop3: listenerPort(listeners.pop3, env) ?? listeners.pop3.defaultPort,
  };
}

/**
 * The port a listener will open as the environment sets it: its variable
 * when that holds a valid port, else its default (the service itself
 * reports a bad value); undefined for a listener that is off.
 */
export function listenerPort(listener: Listener, env: NodeJS.ProcessEnv): number | undefined {
  const value = env[listener.portVariable];
  if (value === undefined || !/^\d+$/.test(value.trim())) return listener.defaultPort;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : listener.defaultPort;
}
