/**
 * The ordered list of schema migrations: files `NNN_name.sql` in
 * ./migrations, applied in number order. Pure logic (no database), so the
 * ordering rules are unit-tested.
 */
import { createHash } from 'node:crypto';

export interface Migration {
  /** The number in the file name: 1 for `001_initial.sql`. */
  readonly version: number;
  /** The file name without `.sql`: `001_initial`. */
  readonly name: string;
  readonly sql: string;
  /** Hex SHA-256 of the SQL, recorded so an edit to an applied migration is detected. */
  readonly checksum: string;
}

/** `001_initial.sql`: three or more digits, an underscore, lower-case words. */
const migrationFilePattern = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

/** A migration file set that cannot be applied safely. */
export class MigrationPlanError extends Error {
  override name = 'MigrationPlanError';
}

/**
 * Build the plan from `{ fileName: sql }`. Ignores files that are not
 * `.sql`; refuses badly named SQL files, duplicate numbers and gaps, so a
 * mistake fails at start-up rather than half-migrating a database.
 */
export function planMigrations(files: ReadonlyMap<string, string>): Migration[] {
  const migrations: Migration[] = [];
  for (const [fileName, sql] of files) {
    if (!fileName.endsWith('.sql')) continue;
    const match = migrationFilePattern.exec(fileName);
    if (!match) throw new MigrationPlanError(`migration file ${fileName} must be named NNN_lower_case_name.sql`);
    migrations.push({
      version: Number(match[1]),
      name: fileName.slice(0, -'.sql'.length),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationPlanError(`migration ${migration.name}: expected number ${index + 1} (numbers start at 1, no gaps or duplicates)`);
    }
  });
  return migrations;
}

/** The migrations not yet applied; throws if an applied one was edited or is unknown to this build. */
export function pendingMigrations(plan: readonly Migration[], applied: ReadonlyMap<number, string>): Migration[] {
  for (const [version, checksum] of applied) {
    const known = plan.find((migration) => migration.version === version);
    if (!known) throw new MigrationPlanError(`database has migration ${version}, which this build does not know (newer schema?)`);
    if (known.checksum !== checksum) throw new MigrationPlanError(`migration ${known.name} was changed after it was applied; add a new migration instead`);
  }
  return plan.filter((migration) => !applied.has(migration.version));
}
