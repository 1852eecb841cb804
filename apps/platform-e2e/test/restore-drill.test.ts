/**
 * The restore drill of deploy/README.md ("Backups and restore"):
 * scripts/restore-drill.ts delivers mail through the platform, dumps its
 * database with pg_dump, restores it into an empty one with pg_restore, and
 * reads both back — by SQL and through mailbox-store and pop3-server
 * started on the restored database. Needs pg_dump and pg_restore (Debian
 * package postgresql-client).
 */
import { describeWithTools, externalTools } from '@mail/testing';
import { expect, it } from 'vitest';
import { drillAgrees, formatDrillReport, runRestoreDrill } from './scripts/restore-drill';

describeWithTools([externalTools.pgDump, externalTools.pgRestore], 'the restore drill', () => {
  it('restores every message of every mailbox, and the platform serves the same maildrops from the restored database', async () => {
    const report = await runRestoreDrill();
    expect(report.source.messages).toBe(16);
    expect(report.restored).toEqual(report.source);
    expect(report.pop3).toEqual([
      { address: 'alice@example.test', before: 6, after: 6 },
      { address: 'bob@example.test', before: 4, after: 4 },
      { address: 'carol@example.test', before: 7, after: 7 },
    ]);
    expect(drillAgrees(report)).toBe(true);
    expect(formatDrillReport(report)).toMatch(/^carol@example\.test {2}INBOX {4}7 \/ 7 /m);
  });
});
