/**
 * Scenario 6, idle footprint: the resident set of each service at rest,
 * after start-up and set-up, as the median of a few samples. Target: under
 * 100 MiB per service.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { readProcessMemory } from '../process-memory';
import { progress } from '../progress';
import { mebibyte, type ScenarioContext } from '../scenario-context';

const samples = 5;
const sampleIntervalMs = 500;
/** Quiet time before sampling, so start-up garbage can be collected. */
const settleMs = 3000;

export async function runIdleScenario(context: ScenarioContext): Promise<void> {
  progress('idle: letting the services settle, then sampling VmRSS');
  await delay(settleMs);
  const readings = new Map<string, number[]>();
  for (let i = 0; i < samples; i++) {
    for (const [name, pid] of context.bench.pids()) {
      const memory = await readProcessMemory(pid);
      readings.set(name, [...(readings.get(name) ?? []), memory.rssBytes]);
    }
    await delay(sampleIntervalMs);
  }
  for (const [name, values] of readings) {
    const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    context.record({ scenario: 'idle', metric: `RSS ${name}`, value: median / mebibyte, unit: 'MiB', target: { kind: 'at-most', bound: 100, text: '< 100 MiB' } });
  }
}
