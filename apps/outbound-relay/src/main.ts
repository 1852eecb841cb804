/**
 * outbound-relay: takes queued outbound mail from JetStream, looks up each
 * recipient domain's MX hosts, relays one copy per destination host over
 * SMTP, records per-recipient outcomes as delivery events, retries
 * temporary failures on a schedule and bounces what cannot be delivered.
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
