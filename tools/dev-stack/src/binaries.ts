/**
 * Finding the server binaries the launcher may need to start: on PATH, in
 * the sbin folders that a normal user's PATH often lacks (Debian installs
 * nats-server into /usr/sbin), and for PostgreSQL in the versioned
 * /usr/lib/postgresql/<major>/bin folders Debian uses.
 */
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Folders searched after PATH. */
const fallbackDirs = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Where Debian and Ubuntu keep each PostgreSQL major version. */
const postgresLibDir = '/usr/lib/postgresql';

/** How to test for an executable file; fakes in tests. */
export type IsExecutable = (path: string) => boolean;

export const isExecutableFile: IsExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The folders of a PATH value followed by the sbin fallbacks, without repeats. */
export function searchDirs(pathValue: string | undefined): string[] {
  const fromPath = (pathValue ?? '').split(delimiter).filter((dir) => dir !== '');
  return [...new Set([...fromPath, ...fallbackDirs])];
}

/** The first folder in `dirs` holding every one of `names` as an executable. */
export function findBinaryDir(names: readonly string[], dirs: readonly string[], isExecutable = isExecutableFile): string | undefined {
  return dirs.find((dir) => names.every((name) => isExecutable(join(dir, name))));
}

/** Full path of an executable on PATH (or the sbin fallbacks). */
export function findBinary(name: string, env: NodeJS.ProcessEnv = process.env, isExecutable = isExecutableFile): string | undefined {
  const dir = findBinaryDir([name], searchDirs(env['PATH']), isExecutable);
  return dir === undefined ? undefined : join(dir, name);
}

/** `/usr/lib/postgresql/<major>/bin` folders, newest major first. */
export function versionedPostgresDirs(majors: readonly string[]): string[] {
  return majors
    .filter((major) => /^\d+(\.\d+)?$/.test(major))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(postgresLibDir, major, 'bin'));
}

/** Paths of the PostgreSQL programs the launcher runs, all from one installation. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** initdb and postgres from the same folder: PATH first, then the newest Debian install. */
export function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env, isExecutable = isExecutableFile): PostgresBinaries | undefined {
  let majors: string[] = [];
  try {
    majors = readdirSync(postgresLibDir);
  } catch {
    // No Debian-style installation; PATH is all there is.
  }
  const dir = findBinaryDir(['initdb', 'postgres'], [...searchDirs(env['PATH']), ...versionedPostgresDirs(majors)], isExecutable);
  return dir === undefined ? undefined : { initdb: join(dir, 'initdb'), postgres: join(dir, 'postgres') };
}
