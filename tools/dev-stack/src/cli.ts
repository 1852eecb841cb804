/** Command-line options of `npm start -- [options]`. */
import { parseArgs } from 'node:util';

export interface Options {
  /** Start (or find) NATS, PostgreSQL and Redis only, print their URLs, keep them running. */
  infraOnly: boolean;
  help: boolean;
}

export const usage = `Usage: npm start [-- options]

Starts the mail platform for development: finds or starts NATS (JetStream),
PostgreSQL and Redis, runs the database migrations, starts the five services
and waits until each is ready. Ctrl-C stops everything it started.

Options:
  --infra-only   only NATS, PostgreSQL and Redis (to run services yourself)
  -h, --help     this text

Environment: NATS_URL, DATABASE_URL, REDIS_URL (used when they answer),
NATS_NAMESPACE, and anything the services read (SMTP_PORT, POP3_PORT,
MAIL_HOSTNAME, LOG_LEVEL, ...), which is passed through.`;

/** Parses the arguments; throws a TypeError naming an unknown option. */
export function parseOptions(args: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...args],
    options: { 'infra-only': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: false,
    strict: true,
  });
  return { infraOnly: values['infra-only'] === true, help: values.help === true };
}
