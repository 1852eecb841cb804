/** Reading and rewriting PostgreSQL connection URLs. */
import { loopback } from '../ports';

/** Database the services use when DATABASE_URL names none. */
export const defaultDatabase = 'mail';

/** The database a URL names (`/mail` → `mail`), or the default. */
export function databaseName(url: string): string {
  const path = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return path === '' ? defaultDatabase : path;
}

/** The same server and credentials, but the `postgres` maintenance database. */
export function maintenanceUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

/**
 * URL of a server the launcher started: superuser `postgres` with trust
 * authentication on loopback, the configured database name kept.
 */
export function localPostgresUrl(configuredUrl: string, port: number): string {
  let database = defaultDatabase;
  try {
    database = databaseName(configuredUrl);
  } catch {
    // Unparseable: the default database.
  }
  return `postgres://postgres@${loopback}:${port}/${encodeURIComponent(database)}`;
}
