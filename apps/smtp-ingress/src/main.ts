/**
 * smtp-ingress: the SMTP front door. Accepts mail on the inbound MX
 * listener (and the submission listener, which requires AUTH), checks each
 * recipient with mailbox-store (falling back to its recent answers while it
 * is down), stores the body in the JetStream object store, publishes
 * `mail.v1.inbound.received`, and only then replies 250.
 */
import { Dns2Resolver } from '@mail/dns';
import { runService } from '@mail/runtime';
import { smtpIngressConfig } from './config';
import { busRecipientDirectory } from './directory/recipient-directory';
import { StaleIfErrorDirectory } from './directory/stale-directory';
import { ForwardConfirmedReverseDns, noReverseDns, type ReverseDns } from './dns/reverse-dns';
import { busMailQueue } from './message/mail-queue';
import { createIngressMetrics } from './metrics';
import { IngressServer } from './server/ingress-server';
import { loadTlsContext } from './tls-context';

await runService({
  name: 'smtp-ingress',
  defaultHttpPort: 9101,
  config: smtpIngressConfig,
  async start({ config, bus, log, telemetry }) {
    const tls = await loadTlsContext(config);
    let reverseDns: ReverseDns = noReverseDns;
    try {
      const resolver = new Dns2Resolver({ servers: config.dnsServers, timeoutMs: config.reverseDnsTimeoutMs });
      reverseDns = new ForwardConfirmedReverseDns(resolver, config.reverseDnsTimeoutMs);
    } catch (error) {
      log.warn({ err: error }, 'no DNS servers: client names in Received: will be "unknown"');
    }
    const server = new IngressServer({
      settings: {
        hostname: config.mailHostname,
        maxMessageSize: config.maxMessageSize,
        maxRecipients: config.maxRecipients,
        maxErrors: config.maxErrors,
        tls,
      },
      services: {
        directory: new StaleIfErrorDirectory(busRecipientDirectory(bus, config.recipientLookupTimeoutMs), {
          maxStaleMs: config.recipientStaleLimitMs,
          onStale: (_address, ageMs) => log.warn({ ageMs }, 'directory unavailable; using a recent answer for RCPT'),
        }),
        queue: busMailQueue(bus),
        metrics: createIngressMetrics(telemetry.meter),
      },
      reverseDns,
      log,
      idleTimeoutMs: config.idleTimeoutMs,
    });
    const inbound = await server.listen('inbound', config.smtpPort, config.listenHost);
    const submission = await server.listen('submission', config.submissionPort, config.listenHost);
    telemetry.health.add('smtp-listeners', () => {
      if (!server.listening) throw new Error('SMTP listeners are not accepting connections');
    });
    log.info({ smtpPort: inbound.port, submissionPort: submission.port, starttls: tls !== undefined }, 'accepting SMTP connections');
    return {
      stop: () => server.stop(config.drainTimeoutMs),
    };
  },
});
