/**
 * The `mailctl spam ...` command line → what to do. Pure (no I/O):
 *
 *   spam train (--spam | --ham) <file|dir|mbox>...   teach the classifier
 *   spam stats                                       what it knows, and the DNS list zones' health
 */

export type SpamInvocation =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'train'; readonly as: 'spam' | 'ham'; readonly paths: readonly string[] }
  | { readonly kind: 'stats' };

export interface SpamOptions {
  readonly spam?: boolean;
  readonly ham?: boolean;
}

/** Usage lines for the main help. */
export const spamCommandsUsage = `  spam train (--spam|--ham) <file|dir|mbox>...
                                      teach the spam filter's classifier
  spam stats                          what the classifier learned; DNS list zone health
`;

export const spamUsage = `Usage: mailctl spam <train|stats> ...

  spam train (--spam | --ham) <file|dir|mbox>...
  spam stats

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

export const spamStatsUsage = `Usage: mailctl spam stats

Show how many spam and ham messages the classifier learned, whether it takes
part in verdicts yet, and the health of the DNSBL and domain list zones.
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
    return { kind: 'stats' };
  }
  if (action !== 'train') return invalid(`unknown command ${JSON.stringify(`spam ${action}`)} (see mailctl spam --help)`);
  if (help) return { kind: 'help', text: spamTrainUsage };
  const hint = ' (see mailctl spam train --help)';
  if (options.spam && options.ham) return invalid(`give either --spam or --ham, not both${hint}`);
  if (!options.spam && !options.ham) return invalid(`missing --spam or --ham${hint}`);
  if (rest.length === 0) return invalid(`missing <file|dir|mbox>${hint}`);
  return { kind: 'train', as: options.spam ? 'spam' : 'ham', paths: rest };
}
