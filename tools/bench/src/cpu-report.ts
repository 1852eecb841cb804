/**
 * The "CPU ms/msg <process>" rows of a scenario: each measured process's
 * CPU between two readings divided by the scenario's messages (or RETRs),
 * the total beside the reference systems' totals from --compare, and those
 * systems' own processes as reference-only rows. Issue 15's target: at most
 * 1.5 ms per message in each service on the inbound path.
 */
import type { Measurement, Target } from './bench-results';
import type { CpuPerMessage } from './cpu-meter';
import type { ReferenceCpu, ScenarioContext } from './scenario-context';

const inboundPathServices = new Set(['smtp-ingress', 'spam-filter', 'mailbox-store']);
const serviceTarget: Target = { kind: 'at-most', bound: 1.5, text: '≤ 1.5 ms/msg (issue 15)' };

const sharedServersNote =
  'CPU ms/msg: from /proc/<pid>/stat (utime+stime of each process and its live children, plus what it reaped) read before and after the measured part of each scenario. ' +
  'NATS, Redis and the PostgreSQL cluster are the machine’s shared servers: anything else using them meanwhile (other tests) is counted too, as noise. ' +
  'The PostgreSQL cluster row leaves out the bench’s own polling connections; the "bench database’s backends" row counts only the backends serving the stack’s database that are alive at the end (a lower bound).';
const noted = new WeakSet<ScenarioContext>();

/** Rows for our processes in `scenario`; `per` names the unit of work ("msg", or "RETR" for POP3). */
export function cpuMeasurements(scenario: string, ours: readonly CpuPerMessage[], references: readonly ReferenceCpu[], per = 'msg'): Measurement[] {
  const unit = `ms/${per}`;
  const metric = (name: string) => `CPU ${unit} ${name}`;
  const rows: Measurement[] = [];
  for (const { name, msPerMessage } of ours) {
    const target = (scenario === 'inbound' || scenario === 'latency') && inboundPathServices.has(name) ? { target: serviceTarget } : {};
    if (name !== 'total') rows.push({ scenario, metric: metric(name), value: msPerMessage, unit, ...target });
  }
  const total = ours.find((row) => row.name === 'total')?.msPerMessage ?? Number.NaN;
  const mine = references.filter((reference) => reference.scenario === scenario);
  if (mine.length === 0) rows.push({ scenario, metric: metric('total'), value: total, unit });
  for (const reference of mine) {
    const theirTotal = reference.rows.find((row) => row.name === 'total')?.msPerMessage ?? Number.NaN;
    rows.push({ scenario, metric: metric('total'), value: total, unit, reference: { system: reference.system, value: theirTotal } });
  }
  for (const reference of mine) {
    for (const { name, msPerMessage } of reference.rows) {
      if (name !== 'total') rows.push({ scenario, metric: metric(`${reference.system}: ${name}`), value: Number.NaN, unit, reference: { system: reference.system, value: msPerMessage } });
    }
  }
  return rows;
}

/** Records the rows of `ours` (from the stack's CpuMeter) beside the same scenario's reference figures. */
export function recordCpuPerMessage(context: ScenarioContext, scenario: string, ours: readonly CpuPerMessage[], per = 'msg'): void {
  for (const row of cpuMeasurements(scenario, ours, context.reference.cpu ?? [], per)) context.record(row);
  if (!noted.has(context)) {
    noted.add(context);
    context.note(sharedServersNote);
  }
}
