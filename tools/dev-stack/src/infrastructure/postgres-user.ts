/**
 * PostgreSQL refuses to run as root. When the launcher runs as root it runs
 * initdb and postgres as the `postgres` user instead (the uid/gid options of
 * child_process, which signal the server directly, unlike a `runuser`
 * wrapper), after handing that user the data folders.
 */
import { chown, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LaunchError } from '../launch-error';

/** A user to run a program as. */
export interface RunAs {
  uid: number;
  gid: number;
}

const serviceUser = 'postgres';

/** The uid and gid of `name` in /etc/passwd text. */
export function passwdEntry(passwd: string, name: string): RunAs | undefined {
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined && /^\d+$/.test(uid) && /^\d+$/.test(gid)) {
      return { uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}

/** Undefined when not root (run as ourselves); the postgres user when root. */
export async function postgresRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  const user = passwdEntry(passwd, serviceUser);
  if (user) return user;
  throw new LaunchError(
    'PostgreSQL refuses to run as root, and there is no "postgres" user to run it as.\n' +
      'Run npm start as a normal user, create the user (useradd --system postgres),\n' +
      'or point DATABASE_URL at a PostgreSQL server that is running.',
  );
}

/** Gives `dir` and everything below it to `user`, unless it already owns the folder. */
export async function chownTree(dir: string, user: RunAs): Promise<void> {
  const top = await stat(dir);
  if (top.uid === user.uid) return;
  const entries = await readdir(dir, { recursive: true });
  for (const entry of [dir, ...entries.map((name) => join(dir, name))]) await chown(entry, user.uid, user.gid);
}
