/**
 * The crash matrix, short: 300 messages through the services while
 * each is SIGKILLed in turn and NATS, PostgreSQL and Redis (private
 * instances) are restarted. Every message that got a 250 is in its mailbox
 * or at the remote MX exactly once; none that was refused is anywhere.
 */
import { describe, expect, it } from 'vitest';
import { serviceNames } from '@mail/service-catalog';
import { runCrashMatrix } from '../src/crash-matrix';
import { formatTable } from '../src/report-table';

describe('crash matrix (short)', () => {
  it('loses, duplicates and leaks nothing under any fault', async () => {
    const result = await runCrashMatrix({
      messages: 300,
      clients: 10,
      downMs: 1500,
      drainTimeoutMs: 240_000,
      maxAttempts: 60,
      log: (line) => console.log(`[chaos] ${line}`),
    });
    console.log(formatTable(result.rows));
    expect(result.unexpectedExits).toEqual([]);
    expect(result.drained).toBe(true);
    const phases = result.rows.slice(0, -1);
    // Every service of the catalog, in ops-port order, then the infrastructure
    expect(phases.map((row) => row.phase)).toEqual([...serviceNames.map((name) => `SIGKILL ${name}`), 'restart NATS', 'restart PostgreSQL', 'restart Redis']);
    for (const row of result.rows) {
      expect({ phase: row.phase, lost: row.lost, duplicated: row.duplicated, leaked: row.leaked }).toEqual({ phase: row.phase, lost: 0, duplicated: 0, leaked: 0 });
      expect(row.accepted).toBeGreaterThan(0);
    }
    const total = result.rows.at(-1);
    expect(total?.sent).toBe(300);
    // Every message was settled one way or the other; none was given up while the platform was back.
    expect(total?.refused).toBe(0);
  });
});
