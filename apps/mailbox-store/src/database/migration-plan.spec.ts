/** Unit tests of migration-plan.ts: ordering, naming rules, pending and edited migrations. */
import { describe, expect, it } from 'vitest';
import { MigrationPlanError, pendingMigrations, planMigrations } from './migration-plan';
import { loadMigrations } from './migrator';

const files = (names: string[]) => new Map(names.map((name) => [name, `-- ${name}`]));

describe('planMigrations', () => {
  it('orders by number, not by listing order, and ignores non-SQL files', () => {
    const plan = planMigrations(
      files(['010_ten.sql', '002_two.sql', 'README.md', '001_one.sql', '003_three.sql', '004_four.sql', '005_five.sql', '006_six.sql', '007_seven.sql', '008_eight.sql', '009_nine.sql']),
    );
    expect(plan.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(plan[0]?.name).toBe('001_one');
  });

  it('refuses gaps, duplicates and bad names', () => {
    expect(() => planMigrations(files(['001_one.sql', '003_three.sql']))).toThrow(MigrationPlanError);
    expect(() => planMigrations(files(['001_one.sql', '001_again.sql']))).toThrow(/expected number 2/);
    expect(() => planMigrations(files(['1_one.sql']))).toThrow(/must be named/);
    expect(() => planMigrations(files(['001_One.sql']))).toThrow(/must be named/);
  });
});

describe('pendingMigrations', () => {
  const plan = planMigrations(files(['001_one.sql', '002_two.sql']));

  it('returns what is not applied yet', () => {
    expect(pendingMigrations(plan, new Map()).map((m) => m.name)).toEqual(['001_one', '002_two']);
    expect(pendingMigrations(plan, new Map([[1, plan[0]?.checksum ?? '']])).map((m) => m.name)).toEqual(['002_two']);
    expect(pendingMigrations(plan, new Map(plan.map((m) => [m.version, m.checksum])))).toEqual([]);
  });

  it('refuses an edited applied migration and a database newer than the build', () => {
    expect(() => pendingMigrations(plan, new Map([[1, 'different']]))).toThrow(/was changed/);
    expect(() => pendingMigrations(plan, new Map([[3, 'x']]))).toThrow(/does not know/);
  });
});

describe('shipped migrations', () => {
  it('form a valid plan starting with 001_initial', async () => {
    const plan = await loadMigrations();
    expect(plan[0]?.name).toBe('001_initial');
    expect(plan[0]?.sql).toContain('CREATE TABLE mailbox_entries');
  });
});
