/**
 * A private Dovecot 2.3 for the side-by-side run: its own config file
 * (`dovecot -c`), base and state directories in a temp dir, POP3 only on a
 * free loopback port, no TLS, a static passdb (one password for any user)
 * and a static userdb serving `<mailRoot>/<user>` as a Maildir — the
 * Maildir the private Postfix delivered into. Stopped with `dovecot -c
 * <file> stop`; the system's /etc/dovecot is never read.
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const dovecotPath = '/usr/sbin/dovecot';
export const dovecotPassword = 'bench';

export interface DovecotInstance {
  readonly port: number;
  /** The master process (its login and pop3 processes are its children). */
  masterPid(): Promise<number>;
  stop(): Promise<void>;
}

export class DovecotInstanceError extends Error {
  override name = 'DovecotInstanceError';
}

function dovecotConf(root: string, mailRoot: string, port: number): string {
  return `# private bench instance; see docs/benchmarks.md
base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
instance_name = bench-dovecot-${port}
protocols = pop3
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
userdb {
  driver = static
  args = uid=65534 gid=65534 home=${mailRoot}/%n
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = ${port}
  }
}
service imap-login {
  inet_listener imap {
    port = 0
  }
}
`;
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

export async function startDovecot(mailRoot: string, port: number): Promise<DovecotInstance> {
  const root = await mkdtemp(join(tmpdir(), 'bench-dovecot-'));
  await chmod(root, 0o755);
  await mkdir(join(root, 'run'));
  await mkdir(join(root, 'state'));
  const config = join(root, 'dovecot.conf');
  await writeFile(config, dovecotConf(root, mailRoot, port));
  const code = await daemonize(config);
  if (code !== 0) {
    const log = await readFile(join(root, 'dovecot.log'), 'utf8').catch(() => '');
    await rm(root, { recursive: true, force: true });
    throw new DovecotInstanceError(`dovecot -c ${config} exited ${code}: ${log.slice(-1500)}`);
  }
  return {
    port,
    masterPid: async () => Number((await readFile(join(root, 'run', 'master.pid'), 'utf8')).trim()),
    async stop() {
      await run(dovecotPath, ['-c', config, 'stop']).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}
