/**
 * Scenario 6, idle footprint: how long each service took to become ready
 * (from its spawn to the first /readyz 200, as the launcher saw it), then
 * the resident set of each at rest, after start-up and set-up, as the median
 * of a few samples, and the anonymous part of that resident set (the
 * process's own memory; the rest is file pages, mostly the node binary's,
 * which every Node process on the machine shares). Targets of issue 14:
 * ready under 2 s, RSS under 80 MiB per service.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { readProcessMemory, type ProcessMemory } from '../process-memory';
import { progress } from '../progress';
import { mebibyte, type ScenarioContext } from '../scenario-context';

const samples = 5;
const sampleIntervalMs = 500;
/** Quiet time before sampling, so start-up garbage can be collected. */
const settleMs = 3000;

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export async function runIdleScenario(context: ScenarioContext): Promise<void> {
  for (const [name, service] of context.bench.stack.services) {
    const seconds = service.readyAfterMs === undefined ? Number.NaN : service.readyAfterMs / 1000;
    context.record({ scenario: 'idle', metric: `ready after ${name}`, value: seconds, unit: 's', target: { kind: 'at-most', bound: 2, text: '< 2 s' } });
  }
  progress('idle: letting the services settle, then sampling VmRSS');
  await delay(settleMs);
  const readings = new Map<string, ProcessMemory[]>();
  for (let i = 0; i < samples; i++) {
    for (const [name, pid] of context.bench.pids()) {
      const memory = await readProcessMemory(pid);
      readings.set(name, [...(readings.get(name) ?? []), memory]);
    }
    await delay(sampleIntervalMs);
  }
  for (const [name, values] of readings) {
    const rss = median(values.map((memory) => memory.rssBytes)) / mebibyte;
    context.record({ scenario: 'idle', metric: `RSS ${name}`, value: rss, unit: 'MiB', target: { kind: 'at-most', bound: 80, text: '< 80 MiB' } });
    context.record({ scenario: 'idle', metric: `anonymous RSS ${name}`, value: median(values.map((memory) => memory.anonymousBytes)) / mebibyte, unit: 'MiB' });
  }
}
