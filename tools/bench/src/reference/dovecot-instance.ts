/**
 * A private Dovecot 2.3 for the side-by-side run: its own config file
 * (`dovecot -c`), base and state directories in a temp dir, POP3 and,
 * when asked, IMAP on free loopback ports, no TLS, a static passdb (one
 * password for any user) and a static userdb serving `<mailRoot>/<user>`
 * as a Maildir — the Maildir the private Postfix delivered into. Stopped
 * with `dovecot -c <file> stop`; the system's /etc/dovecot is never read.
 *
 * For many IMAP sessions at once the limits are raised to hold them:
 * Dovecot runs one imap process per session (service imap's client_limit
 * is 1), each of which is a client of the log, anvil, auth and config
 * services (default_client_limit), and counts sessions per user and IP
 * (mail_max_userip_connections, 10 by default).
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@mail/testing';

const run = promisify(execFile);
export const dovecotPath = '/usr/sbin/dovecot';
export const dovecotPassword = 'bench';

export interface DovecotOptions {
  readonly pop3Port: number;
  /** IMAP listener, none when undefined. */
  readonly imapPort?: number;
  /** Limits and users for many idle IMAP sessions at once. */
  readonly idle?: DovecotIdleSetup;
}

export interface DovecotIdleSetup {
  /** Sessions it must hold at once. */
  readonly sessions: number;
  /**
   * Users whose sessions will idle: each gets a uid of its own (and its
   * home made for it), because the kernel allows 128 inotify instances
   * per uid (fs.inotify.max_user_instances) and each imap process takes
   * one to watch its Maildir for IDLE; past that Dovecot falls back to
   * polling every 30 s. Keep each user's sessions under 128.
   */
  readonly users: readonly string[];
  /** imap_hibernate_timeout: idle sessions handed to the imap-hibernate process after this (e.g. '2s'); undefined: never. */
  readonly hibernateAfter?: string;
}

export interface DovecotInstance {
  readonly port: number;
  readonly imapPort: number | undefined;
  /** The master process (its login, pop3 and imap processes are its children). */
  masterPid(): Promise<number>;
  /** Delivers a message to `user`'s INBOX as an MDA does (tmp/, then renamed into new/); `user` must have logged in once. */
  deliver(user: string, message: string): Promise<void>;
  /** The end of its log, for a note when something failed. */
  logTail(): Promise<string>;
  stop(): Promise<void>;
}

export class DovecotInstanceError extends Error {
  override name = 'DovecotInstanceError';
}

/** uid and gid of idle user i (0-based); any unused numbers do, they need no passwd entry. */
const idleUid = (index: number): number => 70_001 + index;
/** Every user not in the idle list: the Maildir the private Postfix delivers as (virtual_uid_maps static:65534). */
const mailUid = 65534;

/** The IMAP parts of the configuration: limits that hold the idle sessions, and hibernation if asked. */
function idleConf(idle: DovecotIdleSetup | undefined): string {
  if (!idle) return '';
  const hibernate = idle.hibernateAfter
    ? `imap_hibernate_timeout = ${idle.hibernateAfter}
service imap-hibernate {
  unix_listener imap-hibernate {
    mode = 0666
  }
}
`
    : '';
  // the imap processes run as the users' uids: they must reach imap-hibernate, and it must reach imap-master to wake a session
  return `mail_max_userip_connections = ${idle.sessions + 10}
default_client_limit = ${idle.sessions + 1000}
service imap {
  process_limit = ${idle.sessions + 100}
  unix_listener imap-master {
    mode = 0666
  }
}
${hibernate}`;
}

function dovecotConf(root: string, mailRoot: string, options: DovecotOptions): string {
  const imapListener = options.imapPort === undefined ? 'port = 0' : `address = 127.0.0.1\n    port = ${options.imapPort}`;
  const idleUsers = options.idle ? `userdb {\n  driver = passwd-file\n  args = ${root}/users\n}\n` : '';
  return `# private bench instance; see docs/benchmarks.md
base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
instance_name = bench-dovecot-${options.pop3Port}
protocols = pop3${options.imapPort === undefined ? '' : ' imap'}
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:${mailRoot}/%n
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = static
  args = password=${dovecotPassword}
}
${idleUsers}userdb {
  driver = static
  args = uid=${mailUid} gid=${mailUid} home=${mailRoot}/%n
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = ${options.pop3Port}
  }
}
service imap-login {
  inet_listener imap {
    ${imapListener}
  }
}
${idleConf(options.idle)}`;
}

/** The idle users' passwd-file (name:password:uid:gid:gecos:home:shell) and their homes, owned by their uids. */
async function writeIdleUsers(root: string, mailRoot: string, users: readonly string[]): Promise<Map<string, number>> {
  const uids = new Map(users.map((user, i) => [user, idleUid(i)]));
  await writeFile(join(root, 'users'), [...uids].map(([user, uid]) => `${user}::${uid}:${uid}::${mailRoot}/${user}::\n`).join(''));
  for (const [user, uid] of uids) {
    await mkdir(join(mailRoot, user), { recursive: true });
    await chown(join(mailRoot, user), uid, uid);
  }
  return uids;
}

/**
 * Runs `dovecot -c <file>`, which forks its daemon and exits. Only the exit
 * matters: the daemon inherits any pipe, so waiting for output to end (as
 * execFile does) would wait for the daemon.
 */
function daemonize(config: string): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const child = spawn(dovecotPath, ['-c', config], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
}

export async function startDovecot(mailRoot: string, options: DovecotOptions): Promise<DovecotInstance> {
  const root = await mkdtemp(join(tmpdir(), 'bench-dovecot-'));
  await chmod(root, 0o755);
  await mkdir(join(root, 'run'));
  await mkdir(join(root, 'state'));
  const uids = options.idle ? await writeIdleUsers(root, mailRoot, options.idle.users) : new Map<string, number>();
  const config = join(root, 'dovecot.conf');
  const log = join(root, 'dovecot.log');
  await writeFile(config, dovecotConf(root, mailRoot, options));
  const failed = async (why: string, cause?: Error): Promise<never> => {
    const text = await readFile(log, 'utf8').catch(() => '');
    await run(dovecotPath, ['-c', config, 'stop']).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    throw new DovecotInstanceError(`${why}: ${text.slice(-1500)}`, cause ? { cause } : {});
  };
  const code = await daemonize(config);
  if (code !== 0) await failed(`dovecot -c ${config} exited ${code}`);
  // the daemon writes its pid file after the parent exited, its listeners already bound: wait for it
  const pidFile = join(root, 'run', 'master.pid');
  const masterPid = async () => Number((await readFile(pidFile, 'utf8')).trim());
  await waitFor(() => masterPid().catch(() => undefined), { timeoutMs: 15_000, description: `${pidFile} to be written` }).catch((error: Error) => failed(error.message, error));
  let delivered = 0;
  return {
    port: options.pop3Port,
    imapPort: options.imapPort,
    masterPid,
    async deliver(user, message) {
      // the Maildir protocol (maildir(5)): written whole under tmp/, then renamed into new/, where the IDLE sessions' inotify sees it
      const name = `${Date.now()}.M${++delivered}P${process.pid}.bench`;
      const uid = uids.get(user) ?? mailUid;
      const temporary = join(mailRoot, user, 'tmp', name);
      await writeFile(temporary, message, { mode: 0o600 });
      await chown(temporary, uid, uid);
      await rename(temporary, join(mailRoot, user, 'new', name));
    },
    logTail: async () => (await readFile(log, 'utf8').catch(() => '')).slice(-1500),
    async stop() {
      await run(dovecotPath, ['-c', config, 'stop']).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}
