/**
 * One log line and one metric per delivery attempt at a server: queue id,
 * domains, MX host and address, the reply codes, and what came of it.
 */
import type { Logger } from '@mail/telemetry';
import type { AttemptObserver } from './delivery/destination-delivery';
import type { HostAttempt } from './delivery/host-attempt';
import { attemptResult, type RelayMetrics } from './metrics';

export function observeAttempts(queueId: string, log: Pick<Logger, 'info' | 'warn'>, metrics: RelayMetrics): AttemptObserver {
  return (destination, attempt) => {
    const result = attemptResult(attempt);
    metrics.attempt(result);
    const fields = {
      queueId,
      domain: destination.domains.join(','),
      mx: attempt.target.host,
      address: attempt.target.address,
      port: attempt.target.port,
      result,
      code: decisiveCode(attempt),
      transactions: attempt.transactions,
      recipients: attempt.results.map((r) =>
        'reply' in r ? { recipient: r.recipient, status: r.status, code: r.reply.code, enhanced: r.reply.enhanced, stage: r.stage } : { recipient: r.recipient, status: r.status },
      ),
      ...(attempt.failure ? { error: attempt.failure.message } : {}),
    };
    if (result === 'failed') log.warn(fields, 'delivery attempt failed');
    else log.info(fields, 'delivery attempt');
  };
}

/** The reply code that says most about the attempt: the end-of-data reply if any, else the first reply seen. */
export function decisiveCode(attempt: HostAttempt): number | undefined {
  const answered = attempt.results.flatMap((r) => ('reply' in r ? [r] : []));
  return (answered.find((r) => r.stage === 'end of data') ?? answered[0])?.reply.code;
}
