/**
 * The ports people and mail clients talk to, as the services will read them
 * from the environment (same variables, same defaults), for the pre-flight
 * port check and the summary.
 */
import { listenerPort } from '@mail/launcher';
import { listeners } from '@mail/service-catalog';

export interface PublicEndpoints {
  /** Host to connect to (LISTEN_HOST, or loopback when the services listen everywhere). */
  host: string;
  smtp: number;
  submission: number;
  pop3: number;
  imap: number;
}

/** Reads SMTP_PORT, SUBMISSION_PORT, POP3_PORT, IMAP_PORT and LISTEN_HOST like the services do. */
export function publicEndpoints(env: NodeJS.ProcessEnv): PublicEndpoints {
  const listen = env['LISTEN_HOST']?.trim();
  const host = listen === undefined || listen === '' || listen === '0.0.0.0' || listen === '::' ? '127.0.0.1' : listen;
  return {
    host,
    smtp: listenerPort(listeners.smtp, env) ?? listeners.smtp.defaultPort,
    submission: listenerPort(listeners.submission, env) ?? listeners.submission.defaultPort,
    pop3: listenerPort(listeners.pop3, env) ?? listeners.pop3.defaultPort,
    imap: listenerPort(listeners.imap, env) ?? listeners.imap.defaultPort,
  };
}
