/**
 * outbound-relay: takes queued outbound mail from JetStream, looks up each
 * recipient domain's MX hosts, relays one copy per destination host over
 * SMTP (STARTTLS when offered or required, DKIM-signed for domains with a
 * key, within per-domain concurrency limits shared by the replicas), records
 * per-recipient outcomes as delivery events, retries temporary failures on a
 * schedule, and tells the sender what NOTIFY asks for with RFC 3464 delivery
 * status notifications (failed, delayed, relayed). Answers mailctl's
 * `queue` and `dkim` requests.
 */
import { runService } from '@mail/runtime';
import { outboundRelayConfig } from './config';
import { startRelay } from './relay-service';

await runService({
  name: 'outbound-relay',
  defaultHttpPort: 9105,
  config: outboundRelayConfig,
  start: startRelay,
});
