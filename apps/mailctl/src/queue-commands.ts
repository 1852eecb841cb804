/**
 * `mailctl queue list|show|retry|delete`: the outbound queue, like Postfix's
 * mailq (list), postcat/postqueue (show), postqueue -i (retry) and
 * postsuper -d (delete). Parsing and rendering are pure; the relay answers
 * `mail.v1.relay.queue`.
 */
import type { QueueEntry, RelayQueueRequest, RelayQueueResponse } from '@mail/contracts';
import { QueueId } from '@mail/contracts';

export const queueUsage = `Usage: mailctl queue <list|show|retry|delete> [queue-id]

  queue list                 messages waiting for remote delivery, oldest first
  queue show <queue-id>      one message: sender, attempts, every recipient and its last reply
  queue retry <queue-id>     try its waiting recipients now
  queue delete <queue-id>    stop delivering it; the waiting recipients are dropped
                             (a 'deleted' delivery event each; the sender is not notified)
`;

export type QueueInvocation = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'invalid'; readonly message: string } | { readonly kind: 'run'; readonly request: RelayQueueRequest };

export function parseQueueCommand(args: readonly string[], help: boolean): QueueInvocation {
  const [action, queueId, ...extra] = args;
  if (action === undefined) return help ? { kind: 'help', text: queueUsage } : { kind: 'invalid', message: 'missing queue command (see mailctl queue --help)' };
  if (help) return { kind: 'help', text: queueUsage };
  const hint = ` (see mailctl queue --help)`;
  if (extra.length > 0) return { kind: 'invalid', message: `unexpected argument ${JSON.stringify(extra[0])}${hint}` };
  if (action === 'list') return queueId === undefined ? { kind: 'run', request: { version: 1, op: 'list' } } : { kind: 'invalid', message: `unexpected argument ${JSON.stringify(queueId)}${hint}` };
  if (action !== 'show' && action !== 'retry' && action !== 'delete') return { kind: 'invalid', message: `unknown command ${JSON.stringify(`queue ${action}`)}${hint}` };
  if (queueId === undefined) return { kind: 'invalid', message: `missing <queue-id>${hint}` };
  if (!QueueId.safeParse(queueId).success) return { kind: 'invalid', message: `invalid queue id ${JSON.stringify(queueId)}: expected 8-64 letters, digits, - or _` };
  return { kind: 'run', request: { version: 1, op: action, queueId } };
}

/** What to print for the relay's answer. */
export function renderQueueResponse(request: RelayQueueRequest, response: RelayQueueResponse): string {
  if (request.op === 'list') return response.entries.length === 0 ? 'The outbound queue is empty.\n' : listing(response.entries);
  if (request.op === 'show' && response.entries[0]) return details(response.entries[0]);
  return `${response.message ?? 'done'}\n`;
}

/** One line per message (mailq): id, size, arrival, sender, waiting recipients, next attempt. */
function listing(entries: readonly QueueEntry[]): string {
  const rows = entries.map((e) => [
    e.queueId,
    String(e.size),
    e.queuedAt.replace(/\.\d+Z$/, 'Z'),
    e.mailFrom === '' ? '<>' : e.mailFrom,
    String(e.recipients.length),
    String(e.attempts),
    e.nextAttemptAt?.replace(/\.\d+Z$/, 'Z') ?? 'now',
  ]);
  const header = ['QUEUE ID', 'SIZE', 'QUEUED', 'SENDER', 'WAITING', 'ATTEMPTS', 'NEXT ATTEMPT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n-- ${entries.length} message(s) waiting\n`;
}

function details(entry: QueueEntry): string {
  const lines = [
    `queue id:     ${entry.queueId}`,
    `sender:       ${entry.mailFrom === '' ? '<>' : entry.mailFrom}`,
    `queued at:    ${entry.queuedAt}`,
    `size:         ${entry.size}`,
    `attempts:     ${entry.attempts}`,
    `next attempt: ${entry.nextAttemptAt ?? 'now'}`,
    'recipients:',
    ...entry.recipients.map((r) => `  ${r.address}  ${r.state}${r.retryAt ? ` (next ${r.retryAt})` : ''}${r.detail ? `\n    ${r.detail}` : ''}`),
  ];
  return `${lines.join('\n')}\n`;
}
