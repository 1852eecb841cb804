/**
 * A private Postfix for the side-by-side run: its own config_directory,
 * queue_directory and data_directory in a temp dir, smtpd on a free
 * loopback port, and virtual(8) delivery of every recipient in bench.test
 * into one Maildir (`virtual_mailbox_maps = static:inbound/`, the trailing
 * slash meaning Maildir); mail for relay.bench-remote.test goes out through
 * its SMTP client to a given loopback port. With a milter port, smtpd hands
 * every message to that milter (rspamd's proxy) before its 250, as a Postfix
 * with rspamd is set up (milter protocol 6, accept if the milter fails).
 * Started and stopped with `postfix -c <dir>`; the
 * system's /etc/postfix is never read or touched. Needs root (Postfix
 * drops to the `postfix` user itself).
 */
import { execFile } from 'node:child_process';
import { chown, mkdir, mkdtemp, readFile, readdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const postfixPath = '/usr/sbin/postfix';
/** uid/gid virtual(8) delivers as (nobody/nogroup on Debian). */
const mailUid = 65534;

export interface PostfixInstance {
  readonly port: number;
  /** Maildir `new/` directory all bench.test mail lands in. */
  readonly maildirNew: string;
  /** Root of the Maildirs (one per user name), for Dovecot. */
  readonly mailRoot: string;
  /** The master process (its services are its children), from the pid file Postfix keeps in its queue directory. */
  masterPid(): Promise<number>;
  delivered(): Promise<number>;
  stop(): Promise<void>;
}

export class PostfixInstanceError extends Error {
  override name = 'PostfixInstanceError';
}

/** Mail for this domain is relayed by Postfix's SMTP client to `relayPort` on loopback (the outbound reference). */
export const postfixRelayDomain = 'relay.bench-remote.test';

function mainCf(root: string, relayPort: number | undefined, milterPort: number | undefined): string {
  return `# private bench instance; see docs/benchmarks.md
compatibility_level = 3.6
queue_directory = ${root}/queue
data_directory = ${root}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix.bench.test
myorigin = postfix.bench.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = bench.test
virtual_mailbox_base = ${root}/mail
virtual_mailbox_maps = static:inbound/
virtual_uid_maps = static:${mailUid}
virtual_gid_maps = static:${mailUid}
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtputf8_enable = no
biff = no
maillog_file = ${root}/maillog
maillog_file_prefixes = ${root}
${milterPort ? milterSettings(milterPort) : ''}${relayPort ? `relay_domains = ${postfixRelayDomain}\nrelay_transport = relay:[127.0.0.1]:${relayPort}\n` : ''}`;
}

/** rspamd's documented Postfix settings (milter protocol 6, the macros it reads), on the smtpd side only. */
function milterSettings(port: number): string {
  return `smtpd_milters = inet:127.0.0.1:${port}
non_smtpd_milters =
milter_protocol = 6
milter_default_action = accept
milter_mail_macros = i {mail_addr} {client_addr} {client_name} {auth_authen}
`;
}

/** The services of Debian's master.cf that mail to a virtual Maildir needs, none chrooted. */
function masterCf(port: number): string {
  return `127.0.0.1:${port} inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
local unix - n n - - local
virtual unix - n n - - virtual
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
`;
}

/** `relayPort`: where mail for {@link postfixRelayDomain} goes (an SMTP sink); `milterPort`: a milter every message goes through. */
export async function startPostfix(port: number, relayPort?: number, milterPort?: number): Promise<PostfixInstance> {
  if (userInfo().uid !== 0) throw new PostfixInstanceError('a private Postfix needs root (it switches to the postfix user itself)');
  const root = await mkdtemp(join(tmpdir(), 'bench-postfix-'));
  await chmod(root, 0o755);
  for (const dir of ['etc', 'queue', 'data', 'mail']) await mkdir(join(root, dir));
  const { stdout: postfixUid } = await run('id', ['-u', 'postfix']);
  await chown(join(root, 'data'), Number(postfixUid.trim()), -1);
  await chown(join(root, 'mail'), mailUid, mailUid);
  await writeFile(join(root, 'etc', 'main.cf'), mainCf(root, relayPort, milterPort));
  await writeFile(join(root, 'etc', 'master.cf'), masterCf(port));
  const config = join(root, 'etc');
  const maillog = () => readFile(join(root, 'maillog'), 'utf8').catch(() => '');
  try {
    await run(postfixPath, ['-c', config, 'start']);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw new PostfixInstanceError(`postfix -c ${config} start failed: ${(await maillog()).slice(-1500) || (error as Error).message}`, { cause: error });
  }
  const maildirNew = join(root, 'mail', 'inbound', 'new');
  return {
    port,
    maildirNew,
    mailRoot: join(root, 'mail'),
    masterPid: async () => Number((await readFile(join(root, 'queue', 'pid', 'master.pid'), 'utf8')).trim()),
    delivered: () =>
      readdir(maildirNew).then(
        (names) => names.length,
        () => 0,
      ),
    async stop() {
      await run(postfixPath, ['-c', config, 'stop']).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}
