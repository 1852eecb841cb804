/**
 * The `mailctl spam ...` command line → what to do. Pure (no I/O):
 *
 *   spam train (--spam | --ham) <file|dir|mbox>...   teach the classifier
 *   spam stats [--days N]                            what it knows, users' moves per day, the DNS list zones' health
 */
import { SPAM_FEEDBACK_MAX_DAYS } from '@mail/contracts';

export type SpamInvocation =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'train'; readonly as: 'spam' | 'ham'; readonly paths: readonly string[] }
  | { readonly kind: 'stats'; readonly days: number };

export interface SpamOptions {
  readonly spam?: boolean;
  readonly ham?: boolean;
  /** `spam stats --days N`, as typed. */
  readonly days?: string;
}

/** Days of users' moves `spam stats` shows unless told otherwise. */
export const defaultStatsDays = 14;

/** Usage lines for the main help. */
export const spamCommandsUsage = `  spam train (--spam|--ham) <file|dir|mbox>...
                                      teach the spam filter's classifier
  spam stats [--days N]               what the classifier learned; users' moves into and
                                      out of Junk per day; DNS list zone health
`;

export const spamUsage = `Usage: mailctl spam <train|stats> ...

  spam train (--spam | --ham) <file|dir|mbox>...
  spam stats [--days N]

Answered by spam-filter over NATS (NATS_URL, NATS_NAMESPACE).
`;

export const spamTrainUsage = `Usage: mailctl spam train (--spam | --ham) <file|dir|mbox>...

Teach the spam filter's Bayes classifier that the messages are spam (--spam)
or not (--ham). Each path is a message file (RFC 5322), an mbox file (messages
separated by "From " lines), or a directory (a maildir or any tree of such
files; names starting with "." are skipped). A message learned twice counts
once; learned as the other class, it moves. Only the first 512 KiB of a
message are sent: the classifier reads no further.

The classifier takes part in verdicts once it has learned
SPAM_BAYES_MIN_MESSAGES (200) of each class.
`;

export const spamStatsUsage = `Usage: mailctl spam stats [--days N]

Show how many spam and ham messages the classifier learned, whether it takes
part in verdicts yet, what users' moves said over the last N days (${defaultStatsDays}
unless --days says otherwise, at most ${SPAM_FEEDBACK_MAX_DAYS}; UTC days): messages moved
out of Junk are the filter's false positives, messages moved into Junk the
spam it missed; and the health of the DNSBL and domain list zones.
`;

const invalid = (message: string): SpamInvocation => ({ kind: 'invalid', message });

/** `args` are the positionals after `spam`. */
export function parseSpamCommand(args: readonly string[], options: SpamOptions, help: boolean): SpamInvocation {
  const [action, ...rest] = args;
  if (action === undefined) return help ? { kind: 'help', text: spamUsage } : invalid('missing spam command (see mailctl spam --help)');
  if (action === 'stats') {
    if (help) return { kind: 'help', text: spamStatsUsage };
    if (options.spam || options.ham) return invalid('spam stats takes no --spam or --ham (see mailctl spam stats --help)');
    if (rest.length > 0) return invalid(`unexpected argument ${JSON.stringify(rest[0])} (see mailctl spam stats --help)`);
    const days = options.days === undefined ? defaultStatsDays : Number(options.days);
    if (!/^\d+$/.test(options.days ?? '1') || days < 1 || days > SPAM_FEEDBACK_MAX_DAYS)
      return invalid(`--days takes a number of days from 1 to ${SPAM_FEEDBACK_MAX_DAYS} (see mailctl spam stats --help)`);
    return { kind: 'stats', days };
  }
  if (action !== 'train') return invalid(`unknown command ${JSON.stringify(`spam ${action}`)} (see mailctl spam --help)`);
  if (help) return { kind: 'help', text: spamTrainUsage };
  const hint = ' (see mailctl spam train --help)';
  if (options.days !== undefined) return invalid(`spam train takes no --days${hint}`);
  if (options.spam && options.ham) return invalid(`give either --spam or --ham, not both${hint}`);
  if (!options.spam && !options.ham) return invalid(`missing --spam or --ham${hint}`);
  if (rest.length === 0) return invalid(`missing <file|dir|mbox>${hint}`);
  return { kind: 'train', as: options.spam ? 'spam' : 'ham', paths: rest };
}
