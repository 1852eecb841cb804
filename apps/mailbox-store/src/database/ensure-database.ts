/**
 * Create the configured database when it is missing (DATABASE_CREATE=true),
 * so a fresh development PostgreSQL just works. Production provisions the
 * database itself and leaves this off.
 */
import pg from 'pg';

/** PostgreSQL's "database does not exist" (invalid_catalog_name). */
const invalidCatalogName = '3D000';

export async function ensureDatabase(url: string, log: { info(obj: object, msg: string): void }): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== invalidCatalogName) throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    log.info({ database: name }, 'created database');
  } catch (error) {
    // Another replica created it in the meantime (duplicate_database).
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await admin.end();
  }
}
