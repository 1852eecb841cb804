// Tests of tls-certificates.ts: what a change of the files does to the served context, the log and the metrics.
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { TlsFilesDirectory, describeWithTools, externalTools, selfSignedPem, waitFor, type PemCertificate } from '@mail/testing';
import { certificateExpiry } from './certificate-expiry';
import { TlsCertificates } from './tls-certificates';
import { TlsPairError } from './tls-context';

describeWithTools([externalTools.openssl], 'TlsCertificates', () => {
  let a: PemCertificate;
  let b: PemCertificate;
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 60_000 });
  const opened: { files: TlsFilesDirectory; certificates?: TlsCertificates }[] = [];
  const log = { info: vi.fn(), warn: vi.fn() };

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    [a, b] = await Promise.all([selfSignedPem('a.example.test'), selfSignedPem('b.example.test')]);
  });
  afterEach(async () => {
    for (const { files, certificates } of opened.splice(0)) {
      certificates?.stop();
      await files.remove();
    }
    log.info.mockClear();
    log.warn.mockClear();
  });
  afterAll(() => metrics.disable());

  async function serve(layout: 'renamed-files' | 'kubernetes-secret', intervalMs: number): Promise<{ files: TlsFilesDirectory; certificates: TlsCertificates }> {
    const files = await TlsFilesDirectory.create(a, layout);
    const entry: (typeof opened)[number] = { files };
    opened.push(entry);
    const certificates = await TlsCertificates.load({ tlsCertFile: files.certFile, tlsKeyFile: files.keyFile }, { intervalMs, log, settleMs: 50 });
    if (certificates === undefined) throw new Error('no certificates');
    entry.certificates = certificates;
    return { files, certificates };
  }

  async function reloadCount(outcome: string): Promise<number | undefined> {
    const { resourceMetrics } = await reader.collect();
    const counter = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === 'mail_tls_reloads_total');
    return counter?.dataPoints.find((point) => point.attributes['outcome'] === outcome)?.value as number | undefined;
  }

  it('is undefined without files, and refuses one file alone or a key of another certificate at start', async () => {
    expect(await TlsCertificates.load({ tlsCertFile: undefined, tlsKeyFile: undefined }, { intervalMs: 0, log })).toBeUndefined();
    await expect(TlsCertificates.load({ tlsCertFile: '/x.crt', tlsKeyFile: undefined }, { intervalMs: 0, log })).rejects.toThrow('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
    const files = await TlsFilesDirectory.create({ cert: a.cert, key: b.key }, 'renamed-files');
    opened.push({ files });
    const loading = TlsCertificates.load({ tlsCertFile: files.certFile, tlsKeyFile: files.keyFile }, { intervalMs: 0, log });
    await expect(loading).rejects.toThrow(TlsPairError);
    await expect(loading).rejects.toThrow('TLS_KEY_FILE: the key does not belong to the certificate of TLS_CERT_FILE');
  });

  it('serves a renamed-in pair after reload(), logs its fingerprint, counts it and moves the expiry gauge', async () => {
    const { files, certificates } = await serve('renamed-files', 0);
    const first = certificates.current();
    expect(await certificates.reload()).toBe('unchanged');
    expect(certificates.current()).toBe(first);
    const before = (await reloadCount('reloaded')) ?? 0;
    await files.replace(b);
    expect(await certificates.reload()).toBe('reloaded');
    expect(certificates.current()).not.toBe(first);
    expect(log.info).toHaveBeenCalledWith(expect.objectContaining({ certFile: files.certFile, fingerprint256: b.fingerprint256 }), 'TLS certificate reloaded');
    expect(await reloadCount('reloaded')).toBe(before + 1);
    const { resourceMetrics } = await reader.collect();
    const gauge = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === 'mail_tls_certificate_expiry_seconds');
    expect(gauge?.dataPoints).toContainEqual(expect.objectContaining({ attributes: { file: files.certFile }, value: certificateExpiry(b.cert) }));
  });

  it('keeps the served pair when the new one is broken (a key of another certificate, an empty file), warning once per pair', async () => {
    const { files, certificates } = await serve('renamed-files', 0);
    const served = certificates.current();
    const before = (await reloadCount('refused')) ?? 0;
    await files.replace({ cert: b.cert, key: a.key });
    expect(await certificates.reload()).toBe('refused');
    expect(await certificates.reload()).toBe('refused');
    expect(certificates.current()).toBe(served);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0]?.[0]).toMatchObject({ err: expect.objectContaining({ name: 'TlsPairError' }) });
    await files.replace({ cert: Buffer.alloc(0), key: a.key });
    expect(await certificates.reload()).toBe('refused');
    expect(certificates.current()).toBe(served);
    expect(log.warn).toHaveBeenCalledTimes(2);
    expect(await reloadCount('refused')).toBe(before + 2);
    await files.replace(b);
    expect(await certificates.reload()).toBe('reloaded');
  });

  it("follows a Kubernetes Secret volume's ..data swap by watching the directory (no poll within the test)", async () => {
    const { files, certificates } = await serve('kubernetes-secret', 3_600_000);
    const first = certificates.current();
    await files.replace(b);
    await waitFor(() => certificates.current() !== first, { timeoutMs: 10_000, description: 'the swapped pair in service' });
    expect(log.info).toHaveBeenCalledWith(expect.objectContaining({ fingerprint256: b.fingerprint256 }), 'TLS certificate reloaded');
  });

  it('reads the files again every interval (the directory watch held back)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const files = await TlsFilesDirectory.create(a, 'renamed-files');
      const certificates = await TlsCertificates.load({ tlsCertFile: files.certFile, tlsKeyFile: files.keyFile }, { intervalMs: 30_000, log, settleMs: 1e9 });
      opened.push({ files, certificates });
      const first = certificates?.current();
      await files.replace(b);
      vi.advanceTimersByTime(30_000);
      await waitFor(() => certificates?.current() !== first, { timeoutMs: 10_000, description: 'the renamed pair in service' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('shares a reload in progress, and its outcome is the change it saw', async () => {
    const { files, certificates } = await serve('renamed-files', 0);
    await files.replace(b);
    const running = certificates.reload();
    expect(certificates.reload()).toBe(running);
    expect(await running).toBe('reloaded');
  });
});
