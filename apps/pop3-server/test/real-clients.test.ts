/**
 * Real POP3 clients against running services: a 10 MiB message with
 * attachments (built with nodemailer's MailComposer, dot lines included)
 * retrieved byte for byte by curl and Python's poplib, then fetched and
 * deleted by fetchmail — after which a new session finds the maildrop empty.
 * A client that is not installed fails under CI and is skipped elsewhere, naming its Debian package.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalTools, requireTools } from '@mail/testing';
import { command, logIn } from './fixtures/pop3-dialogue';
import { createPop3World, type Pop3World } from './fixtures/pop3-world';

const run = promisify(execFile);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A multipart message of at least 10 MiB: text with dot lines, a 7 MiB binary attachment, a text attachment. */
async function tenMebibyteMessage(): Promise<Buffer> {
  const text = 'Bonjour Bob,\r\n.\r\n.leading dot\r\nles pièces jointes suivent.\r\n';
  const notes = Array.from({ length: 12_000 }, (_, i) => (i % 40 === 0 ? '.' : `note ${i}: galettes, crêpes et cidre`)).join('\r\n');
  const composer = new MailComposer({
    from: 'Alice <alice@crepes.fr>',
    to: 'bob@example.test',
    subject: 'Dix mégaoctets',
    text,
    attachments: [
      { filename: 'photos.bin', content: randomBytes(7 * 1024 * 1024), contentType: 'application/octet-stream' },
      { filename: 'notes.txt', content: Buffer.from(notes, 'utf8'), contentType: 'text/plain; charset=utf-8' },
    ],
  });
  const message = await composer.compile().build();
  if (message.length < 10 * 1024 * 1024) throw new Error(`composed only ${message.length} octets`);
  return message;
}

describe('real clients, 10 MiB with attachments', () => {
  let world: Pop3World;
  let port: number;
  let message: Buffer;
  let scratch: string;
  const user = 'bob@example.test';

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'pop3-clients-'));
    world = await createPop3World('pop3_clients');
    port = (await world.startPop3()).port;
    await world.addUser(user, 'hungry');
    message = await tenMebibyteMessage();
    await world.deliver(user, message);
  });
  afterAll(async () => {
    await world?.cleanup();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('curl pop3:// lists it with its exact size and retrieves it byte for byte', async (context) => {
    requireTools(context, externalTools.curl);
    const list = await run('curl', ['-sS', '--max-time', '60', '-u', `${user}:hungry`, `pop3://127.0.0.1:${port}/`]);
    expect(list.stdout).toBe(`1 ${message.length}\r\n`);
    const file = join(scratch, 'curl.eml');
    await run('curl', ['-sS', '--max-time', '60', '-u', `${user}:hungry`, '-o', file, `pop3://127.0.0.1:${port}/1`]);
    const fetched = await readFile(file);
    expect(fetched.length).toBe(message.length);
    expect(sha256(fetched)).toBe(sha256(message));
  });

  it("Python's poplib retrieves it byte for byte (lines, dot-unstuffed, joined with CRLF)", async (context) => {
    requireTools(context, externalTools.python3);
    const script = `
import hashlib, json, poplib, sys
pop = poplib.POP3("127.0.0.1", int(sys.argv[1]), timeout=60)
pop.user(sys.argv[2])
pop.pass_(sys.argv[3])
response, lines, octets = pop.retr(1)
data = b"\\r\\n".join(lines) + b"\\r\\n"
print(json.dumps({"status": response.decode(), "length": len(data), "sha256": hashlib.sha256(data).hexdigest(), "list": pop.list(1).decode()}))
pop.quit()
`;
    const { stdout } = await run('python3', ['-c', script, String(port), user, 'hungry']);
    expect(JSON.parse(stdout)).toEqual({ status: `+OK ${message.length} octets`, length: message.length, sha256: sha256(message), list: `+OK 1 ${message.length}` });
  });

  it('fetchmail fetches it intact and deletes it; a new session finds the maildrop empty', async (context) => {
    requireTools(context, externalTools.fetchmail);
    const inbox = join(scratch, 'fetchmail-inbox');
    await run('mkdir', ['-p', inbox]);
    const mda = join(scratch, 'deliver.sh');
    await writeFile(mda, `#!/bin/sh\ncat > "${inbox}/message-$$.eml"\n`);
    await chmod(mda, 0o755);
    // sslproto "": this world has no certificate, and fetchmail 6.4 otherwise insists on STLS.
    const rc = join(scratch, 'fetchmailrc');
    await writeFile(
      rc,
      `set no syslog\npoll 127.0.0.1 service ${port} protocol POP3 auth password timeout 60\n` +
        `  user "${user}" there with password "hungry" is "nobody" here\n  mda "${mda}"\n  no rewrite\n  fetchall\n  sslproto ""\n`,
    );
    await chmod(rc, 0o600);
    // --invisible: no Received: line of its own, so what it hands the MDA is the message as stored.
    await run('fetchmail', ['-f', rc, '--invisible', '--nosoftbounce'], { env: { ...process.env, HOME: scratch, FETCHMAILHOME: scratch } });
    const [file, ...more] = await readdir(inbox);
    expect(more).toEqual([]);
    const fetched = await readFile(join(inbox, file ?? ''));
    // fetchmail hands the MDA Unix line endings; everything else must be identical.
    const stored = Buffer.from(message.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    expect(fetched.length).toBe(stored.length);
    expect(sha256(fetched)).toBe(sha256(stored));
    expect(await world.countEntries(user)).toBe(0);
    const client = await logIn(port, user, 'hungry');
    expect(await command(client, 'STAT')).toBe('+OK 0 0');
    await command(client, 'QUIT');
    client.close();
  });
});
