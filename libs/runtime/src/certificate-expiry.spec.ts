import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, externalTools } from '@mail/testing';
import { certificateExpiry } from './certificate-expiry';
import { TlsCertificates } from './tls-certificates';

const run = promisify(execFile);
describeWithTools([externalTools.openssl], 'the certificate expiry gauge', () => {
  let dir: string;
  let certFile: string;
  let keyFile: string;
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 60_000 });

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    dir = await mkdtemp(join(tmpdir(), 'certificate-expiry-'));
    certFile = join(dir, 'cert.pem');
    keyFile = join(dir, 'key.pem');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', '/CN=mx.example.test']);
  });

  afterAll(async () => {
    metrics.disable();
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the leaf certificate's notAfter, about 30 days ahead", async () => {
    const expiry = certificateExpiry(await readFile(certFile));
    const days = (expiry - Date.now() / 1000) / 86_400;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('is reported for the file TlsCertificates loaded', async () => {
    await TlsCertificates.load({ tlsCertFile: certFile, tlsKeyFile: keyFile }, { intervalMs: 0, log: { info: () => undefined, warn: () => undefined } });
    const { resourceMetrics } = await reader.collect();
    const gauge = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === 'mail_tls_certificate_expiry_seconds');
    expect(gauge?.dataPoints).toEqual([expect.objectContaining({ attributes: { file: certFile }, value: certificateExpiry(await readFile(certFile)) })]);
  });
});
