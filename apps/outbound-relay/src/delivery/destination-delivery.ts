/**
 * Delivery to one destination (RFC 5321 §5.1): try its MX hosts in order,
 * each host's addresses in order, until every recipient has a final answer.
 * A server that cannot be reached, refuses the session or breaks off leaves
 * its recipients to the next one; recipients it refused temporarily (4xx)
 * are offered to the next one too. Delivered and permanently refused
 * recipients are settled. What is left after the last server is a temporary
 * failure, to be retried later.
 */
import { describeTarget, MessageContentError, type SmtpTarget } from '@mail/smtp-client';
import type { Destination } from './destinations';
import type { AttemptHost, HostAttempt } from './host-attempt';
import { describeReply, type RecipientOutcome } from './recipient-outcome';
import type { RecipientResult } from './transaction-result';

/** Addresses tried per destination in one delivery (Postfix: smtp_mx_address_limit). */
export const MAX_ADDRESSES_PER_DESTINATION = 10;

/** Called after every attempt, for logs and metrics. */
export type AttemptObserver = (destination: Destination, attempt: HostAttempt) => void;

export async function deliverToDestination(
  destination: Destination,
  port: number,
  attemptHost: AttemptHost,
  onAttempt: AttemptObserver = () => undefined,
  requireTls = false,
): Promise<RecipientOutcome[]> {
  const settled = new Map<string, RecipientOutcome>();
  const latest = new Map<string, RecipientOutcome>();
  let pending = [...destination.recipients];
  for (const target of targetsOf(destination, port, requireTls)) {
    if (pending.length === 0) break;
    const attempt = await attemptHost(target, pending);
    onAttempt(destination, attempt);
    pending = [];
    for (const result of attempt.results) {
      const outcome = outcomeOf(result, attempt);
      if (outcome.status === 'temporary') {
        pending.push(result.recipient);
        latest.set(result.recipient, outcome);
      } else {
        settled.set(result.recipient, outcome);
      }
    }
    // Our own failure to read the message: another server would not fare better
    if (attempt.failure instanceof MessageContentError) break;
  }
  return destination.recipients.map(
    (recipient) => settled.get(recipient) ?? latest.get(recipient) ?? { recipient, status: 'temporary', detail: `no server tried for ${destination.domains.join(', ')}` },
  );
}

/** Every (host, address) in order, at most MAX_ADDRESSES_PER_DESTINATION; `requireTls` marks a destination with mandatory TLS. */
export function targetsOf(destination: Destination, port: number, requireTls = false): SmtpTarget[] {
  const targets = destination.hosts.flatMap((host) => host.addresses.map((address) => (requireTls ? { host: host.name, address, port, requireTls } : { host: host.name, address, port })));
  return targets.slice(0, MAX_ADDRESSES_PER_DESTINATION);
}

function outcomeOf(result: RecipientResult, attempt: HostAttempt): RecipientOutcome {
  const remote = { host: attempt.target.host, address: attempt.target.address };
  if (result.status === 'untried') {
    const why = attempt.failure?.message ?? 'no reply';
    return { recipient: result.recipient, status: 'temporary', detail: `${describeTarget(attempt.target)}: ${why}`, remote };
  }
  const detail = describeReply(remote, result.reply, result.stage);
  const delivered = result.status === 'delivered' ? { dsnPassed: attempt.dsn === true, tls: attempt.tls === true } : {};
  return { recipient: result.recipient, status: result.status, detail, remote, reply: result.reply, ...delivered };
}
