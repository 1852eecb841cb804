/** Why a delivery of a queued message ends without an ack: the bus naks it with `retryInMs`. */

/** Some recipients are not settled yet: the message is to be delivered again later. */
export class DeliveryDeferredError extends Error {
  override name = 'DeliveryDeferredError';
  constructor(
    readonly queueId: string,
    readonly deferred: number,
    readonly retryInMs: number,
    why = 'recipient(s) deferred',
  ) {
    super(`${queueId}: ${deferred} ${why}; next attempt in ${Math.round(retryInMs / 1000)} s`);
  }
}
