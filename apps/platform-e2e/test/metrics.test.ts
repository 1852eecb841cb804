/**
 * Every metric the Grafana dashboards (deploy/grafana/*.json) and the
 * Prometheus alert rules (deploy/prometheus/alerts.yaml) name must be
 * exported by some service: the stack runs, one message goes through, and
 * each service's /metrics is scraped. The rules pass `promtool check rules`
 * when promtool is installed (Debian: prometheus).
 */
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { parse } from 'yaml';
import { Bus } from '@mail/bus';
import { Events } from '@mail/contracts';
import { countMessages } from '@mail/pop3-client';
import { externalTools, LineClient, requireTools, serviceNames, startMailStack, startSmtpSink, testNatsUrl, waitFor, workspaceRoot, type MailStack, type SmtpSink } from '@mail/testing';

const run = promisify(execFile);
const grafanaDir = join(workspaceRoot, 'deploy/grafana');
const rulesFile = join(workspaceRoot, 'deploy/prometheus/alerts.yaml');

/** Metric names in a PromQL expression: ours all start with `mail_`; `up` comes from Prometheus itself. */
export function metricNamesIn(expr: string): string[] {
  return [...expr.matchAll(/\bmail_[a-z0-9_]+/g)].map((m) => m[0]);
}

/**
 * Metrics a service exports only under settings this stack does not use,
 * each with the test that sees it exported.
 */
const exportedElsewhere: ReadonlyMap<string, string> = new Map([
  ['mail_tls_certificate_expiry_seconds', 'with TLS_CERT_FILE set: libs/runtime/src/certificate-expiry.spec.ts'],
  ['mail_tls_reloads_total', 'with TLS_CERT_FILE set, once the files change: libs/runtime/src/tls-certificates.spec.ts, apps/*/test/tls-reload.test.ts'],
]);

async function dashboardExpressions(): Promise<{ file: string; expr: string }[]> {
  const out: { file: string; expr: string }[] = [];
  for (const file of (await readdir(grafanaDir)).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(await readFile(join(grafanaDir, file), 'utf8')) as { panels?: { targets?: { expr?: string }[] }[]; templating?: { list?: { query?: unknown }[] } };
    for (const panel of dashboard.panels ?? []) for (const target of panel.targets ?? []) if (target.expr) out.push({ file, expr: target.expr });
    for (const variable of dashboard.templating?.list ?? []) {
      const query = variable.query as string | { query?: string } | undefined;
      const text = typeof query === 'string' ? query : query?.query;
      if (text) out.push({ file, expr: text });
    }
  }
  return out;
}

async function ruleExpressions(): Promise<{ file: string; expr: string }[]> {
  const rules = parse(await readFile(rulesFile, 'utf8')) as { groups: { rules: { expr: string }[] }[] };
  return rules.groups.flatMap((g) => g.rules.map((r) => ({ file: `alerts.yaml`, expr: String(r.expr) })));
}

/** Series names of a Prometheus text exposition (histograms give _bucket, _sum, _count). */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

describe('metrics named by the dashboards and alert rules', () => {
  let stack: MailStack;
  let sink: SmtpSink;
  const exposed = new Map<string, Set<string>>();
  /** Reads each service's /metrics into `exposed`. */
  const scrape = async (): Promise<void> => {
    for (const name of serviceNames) {
      const service = stack.services.get(name);
      if (service === undefined) throw new Error(`${name} is not running`);
      const response = await fetch(`http://127.0.0.1:${service.opsPort}/metrics`);
      exposed.set(name, exposedNames(await response.text()));
    }
  };

  beforeAll(async () => {
    sink = await startSmtpSink({ host: '127.0.0.2' });
    // The DNS records exist before spam-filter starts: its first RFC 5782 self-test must find the
    // test entry, or the zone is out of use and no DNSBL query (nor its latency) is ever recorded
    // The zone answers at once; 3 s only keeps a loaded machine's slow first self-test answer from taking it out of use (then retested after 5 s)
    stack = await startMailStack({ services: [], env: { DNSBL_ZONES: 'bl.example.test*6', DNSBL_CHECK_PRIVATE: 'true', DNSBL_TIMEOUT: '3s', OUTBOUND_SMTP_PORT: String(sink.port) } });
    stack.dns.zone('bl.example.test', 60);
    stack.dns.listDnsbl('bl.example.test', '127.0.0.2'); // RFC 5782 §5 test entry: the self-test keeps the zone in use
    stack.dns.add('remote.test', { type: 'MX', preference: 10, exchange: 'mx.remote.test' });
    stack.dns.add('mx.remote.test', { type: 'A', address: '127.0.0.2' });
    for (const name of serviceNames) await stack.start(name);
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'bob@example.test', '--password', 'hungry')).code).toBe(0);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'alice@crepes.fr', to: 'bob@example.test', subject: 'metrics', text: 'count me' });
    transport.close();
    // POP3 logins (one good, one bad), IMAP commands and one remote delivery, so their counters have samples.
    await waitFor(async () => (await countMessages(stack.pop3Port, 'bob@example.test', 'hungry')) === 1, { description: 'the message in bob’s maildrop' });
    await countMessages(stack.pop3Port, 'bob@example.test', 'wrong').catch(() => undefined);
    // Two IMAP commands, so the command counter and duration histogram have samples
    const imap = await LineClient.open(stack.imapPort as number);
    await imap.readUntil('\r\n');
    imap.send('a1 CAPABILITY');
    await imap.readUntil('a1 OK');
    imap.send('a2 LOGOUT');
    await imap.waitClosed();
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const bus = await Bus.connect({ url: testNatsUrl, name: 'metrics-test', namespace: stack.env['NATS_NAMESPACE'] ?? '', log: silent });
    try {
      const body = await bus.bodies.put('metricsremote1', [Buffer.from('From: bob@example.test\r\nSubject: out\r\n\r\nhello\r\n')]);
      const envelope = { mailFrom: 'bob@example.test', recipients: [{ address: 'carol@remote.test', route: 'remote' as const }], smtputf8: false, bodyType: '7BIT' as const };
      await bus.publish(
        Events.outboundQueued,
        { version: 1, queueId: 'metricsremote1', queuedAt: new Date().toISOString(), envelope, body, traceHeaders: [], localRecipients: 0 },
        'metricsremote1:outbound',
      );
    } finally {
      await bus.close();
    }
    await waitFor(
      async () => {
        await scrape();
        return (
          (exposed.get('mailbox-store')?.has('mail_delivery_latency_seconds_count') &&
            exposed.get('outbound-relay')?.has('mail_outbound_deliveries_total') &&
            exposed.get('spam-filter')?.has('mail_dnsbl_query_duration_seconds_count')) ??
          false
        );
      },
      { description: 'the stored message counted by mailbox-store, the remote delivery and the DNSBL query of the client' },
    );
    if (process.env['PRINT_METRICS']) for (const [service, names] of exposed) console.log(service, [...names].sort().join('\n  '));
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.close();
  });

  it('finds each metric of each dashboard query and alert rule on some service', async () => {
    const expressions = [...(await dashboardExpressions()), ...(await ruleExpressions())];
    expect(expressions.length).toBeGreaterThan(20);
    const unexposed = (): string[] => {
      const all = new Set([...exposed.values()].flatMap((names) => [...names]));
      return [
        ...new Set(
          expressions.flatMap(({ file, expr }) =>
            metricNamesIn(expr)
              .filter((name) => !all.has(name) && !exportedElsewhere.has(name))
              .map((name) => `${file}: ${name}`),
          ),
        ),
      ];
    };
    // Each service records what the message, the logins and the delivery caused when it gets to it (a histogram
    // appears with its first observation): wait for every name asserted on, then show the ones still missing
    let missing = unexposed();
    await waitFor(
      async () => {
        await scrape();
        missing = unexposed();
        return missing.length === 0;
      },
      { timeoutMs: 30_000, description: 'every metric named by the dashboards and rules' },
    ).catch(() => undefined);
    expect(missing).toEqual([]);
  });

  it('passes promtool check rules (when promtool is installed)', async (ctx) => {
    requireTools(ctx, externalTools.promtool);
    const { stdout } = await run('promtool', ['check', 'rules', rulesFile]);
    expect(stdout).toMatch(/SUCCESS/);
  });
});
