/**
 * The gauge `mail_smtp_sessions_active` (open SMTP sessions by listener),
 * which the smtp-ingress autoscaler reads, scraped from the real process's
 * /metrics: it rises on every connection and falls exactly once when the
 * session ends — by QUIT, by a connection the client resets, and by the
 * drain on SIGTERM (idle sessions leave at once, a message in DATA keeps its
 * session counted until it is queued). The HPA and prometheus-adapter under
 * deploy/ name the same series.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { waitFor, workspaceRoot, type LineClient, type ServiceProcess } from '@mail/testing';

const gaugeName = 'mail_smtp_sessions_active';
import { beginData, openSmtp, startIngressStack, type IngressStack } from './fixtures/ingress-stack';

type Gauge = { inbound: number; submission: number };

/** The gauge's values by listener (0 where no series is exported yet). */
async function sessionsActive(opsPort: number): Promise<Gauge> {
  const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
  const value = (listener: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${gaugeName}{`) && l.includes(`listener="${listener}"`));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { inbound: value('inbound'), submission: value('submission') };
}

describe('smtp-ingress sessions gauge', () => {
  let ingress: IngressStack;
  let service: ServiceProcess;
  let last: Gauge = { inbound: -1, submission: -1 };

  /** Waits until the gauge reads `expected`. */
  const gaugeReads = (expected: Gauge): Promise<unknown> =>
    waitFor(
      async () => {
        last = await sessionsActive(service.opsPort);
        return last.inbound === expected.inbound && last.submission === expected.submission;
      },
      { timeoutMs: 30_000, description: `${gaugeName} ${JSON.stringify(expected)} (last read ${JSON.stringify(last)})` },
    );

  beforeAll(async () => {
    ingress = await startIngressStack();
    const started = ingress.stack.services.get('smtp-ingress');
    if (started === undefined) throw new Error('smtp-ingress is not running');
    service = started;
  });
  afterAll(async () => {
    await ingress?.stop();
  });

  it('counts each open session and drops it once on QUIT, on a reset and on the drain', async () => {
    const { smtpPort, submissionPort } = ingress.stack;
    await gaugeReads({ inbound: 0, submission: 0 });
    const inbound: LineClient[] = [];
    for (let i = 0; i < 3; i++) inbound.push(await openSmtp(smtpPort));
    const submission = await openSmtp(submissionPort);
    await gaugeReads({ inbound: 3, submission: 1 });

    const [quitting, resetting, busy] = inbound as [LineClient, LineClient, LineClient];
    expect((await quitting.smtp('QUIT')).code).toBe(221);
    await quitting.waitClosed();
    await gaugeReads({ inbound: 2, submission: 1 });

    resetting.socket.resetAndDestroy();
    await gaugeReads({ inbound: 1, submission: 1 });

    // SIGTERM with a message in DATA: the idle submission session leaves at once, the busy one stays counted
    await beginData(busy);
    busy.write('Subject: draining\r\n\r\nfirst half\r\n');
    const exited = service.stop('SIGTERM', 60_000);
    expect((await submission.readSmtpReply()).code).toBe(421);
    await submission.waitClosed();
    await gaugeReads({ inbound: 1, submission: 0 });
    busy.write('second half\r\n.\r\n');
    expect((await busy.readSmtpReply()).code).toBe(250);
    busy.send('NOOP');
    expect((await busy.readSmtpReply()).code).toBe(421);
    await busy.waitClosed();
    expect(await exited).toBe(0);
  });

  it('starts from zero in a new process and drops a session the client hangs up', async () => {
    service = await ingress.stack.start('smtp-ingress');
    await gaugeReads({ inbound: 0, submission: 0 });
    const client = await openSmtp(ingress.stack.smtpPort, null);
    await gaugeReads({ inbound: 1, submission: 0 });
    client.close();
    await gaugeReads({ inbound: 0, submission: 0 });
    // A gauge for Prometheus (an up-down counter), under exactly this name
    const exposition = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
    expect(exposition).toContain(`# TYPE ${gaugeName} gauge\n`);
  });

  it('is the Pods metric of the smtp-ingress HPA, as prometheus-adapter serves it', async () => {
    const deploy = join(workspaceRoot, 'deploy');
    type Hpa = { kind: string; metadata: { name: string }; spec: { metrics: { type: string; pods?: { metric: { name: string } } }[] } };
    const objects = parseAllDocuments(await readFile(join(deploy, 'kubernetes/base/autoscaling.yaml'), 'utf8')).map((d) => d.toJS() as Hpa);
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'smtp-ingress');
    expect(hpa?.spec.metrics.filter((m) => m.type === 'Pods').map((m) => m.pods?.metric.name)).toEqual([gaugeName]);
    type AdapterValues = { rules: { custom: { seriesQuery: string; name: { as: string } }[] } };
    const adapter = parse(await readFile(join(deploy, 'dependencies/prometheus-adapter.values.yaml'), 'utf8')) as AdapterValues;
    const rule = adapter.rules.custom.find((r) => r.name.as === gaugeName);
    expect(rule?.seriesQuery).toMatch(new RegExp(`^${gaugeName}\\{`));
  });
});
