/**
 * What the exhaustion and brute-force tests observe of a running service
 * from outside: its resident memory (VmRSS in /proc/<pid>/status, Linux) and
 * the samples of its /metrics (Prometheus text exposition), and the running
 * process of a service of the stack.
 */
import { readFile } from 'node:fs/promises';
import type { MailStack, ServiceProcess } from '@mail/testing';

/** A service of the stack (or a replica), which must be running. */
export function serviceOf(stack: MailStack, name: 'smtp-ingress' | 'pop3-server'): ServiceProcess {
  const service = stack.services.get(name);
  if (service === undefined) throw new Error(`${name} is not running`);
  return service;
}

/** Resident set size of a process, in MiB. */
export async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

/** One sample of a metric: its name, labels and value. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
export function parseMetricSamples(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (match?.[1] === undefined || match[3] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      if (label[1] !== undefined) labels[label[1]] = label[2] ?? '';
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Scrapes /metrics of each ops port and returns the raw texts. */
export async function scrapeMetrics(opsPorts: readonly number[]): Promise<string[]> {
  return Promise.all(opsPorts.map(async (port) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text()));
}

/** The sum of a metric over several scrapes (replicas), keeping samples whose labels include `labels`. */
export function sumSamples(texts: readonly string[], name: string, labels: Record<string, string> = {}): number {
  return texts
    .flatMap(parseMetricSamples)
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}
