/**
 * Junk over IMAP trains the spam filter as `mailctl message move` does
 * (issue 18: "moving a message into or out of Junk trains the spam filter
 * exactly as mailctl message move does"): with every service a real
 * process, a UID MOVE into the \Junk folder (RFC 6154) and a mailctl move
 * each publish one feedback.classified event of the same form — the user,
 * the verdict, the stored message's queue id, its stored octets inline (so
 * the classifier reads the same tokens), JetStream msgId `<entry uid>:
 * <verdict>:<at>` — and spam-filter learns each one and counts it in
 * `mailctl spam stats`: into Junk as missed spam, out of it as a false
 * positive. A COPY into Junk is no verdict and trains nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '@mail/bus';
import { Events, FeedbackClassified, Requests, Streams } from '@mail/contracts';
import { LineClient, startMailStack, waitFor, type MailStack } from '@mail/testing';
import { ImapTestClient } from './fixtures/imap-client';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const bob = 'bob@example.test';

/** One feedback.classified event as JetStream holds it. */
interface Feedback {
  readonly event: FeedbackClassified;
  readonly msgId: string;
}

/** Delivers a message to bob over SMTP; returns once smtp-ingress accepted it. */
async function deliver(stack: MailStack, subject: string): Promise<void> {
  const smtp = await LineClient.open(stack.smtpPort);
  try {
    expect((await smtp.readSmtpReply()).code).toBe(220);
    for (const line of ['HELO crepes.fr', 'MAIL FROM:<alice@crepes.fr>', `RCPT TO:<${bob}>`]) expect((await smtp.smtp(line)).code).toBe(250);
    expect((await smtp.smtp('DATA')).code).toBe(354);
    const messageId = `<${subject.replace(/\W+/g, '.')}@crepes.fr>`;
    smtp.write(`Subject: ${subject}\r\nFrom: Alice <alice@crepes.fr>\r\nMessage-ID: ${messageId}\r\n\r\nCheap pills, cheap watches, cheap loans: ${subject}.\r\n.\r\n`);
    expect((await smtp.readSmtpReply()).code).toBe(250);
    await smtp.smtp('QUIT');
  } finally {
    smtp.close();
  }
}

describe('moving mail into and out of Junk over IMAP trains the spam filter as mailctl message move does', () => {
  let stack: MailStack;
  let bus: Bus;
  let imap: ImapTestClient;
  let scratch: string;

  /** Every feedback.classified event published so far, oldest first. */
  async function feedbackEvents(): Promise<Feedback[]> {
    const stream = bus.ns.streamName(Streams.feedback);
    const subject = bus.ns.eventSubject(Events.feedbackClassified);
    const { state } = await bus.jsm.streams.info(stream);
    const events: Feedback[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const message = await bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (message?.subject === subject) events.push({ event: FeedbackClassified.parse(message.json()), msgId: message.header.get('Nats-Msg-Id') });
    }
    return events;
  }

  const feedbackCount = (count: number) =>
    waitFor(async () => ((await feedbackEvents()).length === count ? feedbackEvents() : undefined), { timeoutMs: 10_000, description: `${count} feedback events` });

  const spamStats = () => bus.request(Requests.spamStats, { version: 1 }, 10_000);

  /** The 32-hex uid mailctl names the entry by, in `folder`. */
  async function entryUid(folder: string, subject: string): Promise<string> {
    const listing = (await stack.mailctl('message', 'list', bob, '--folder', folder)).stdout;
    const uid = new RegExp(`^([0-9a-f]{32})\\s.*${subject}$`, 'm').exec(listing)?.[1];
    if (uid === undefined) throw new Error(`no "${subject}" in ${folder}:\n${listing}`);
    return uid;
  }

  /** Selects `folder` and returns the IMAP UID of the message with `subject`, and its stored octets (FETCH BODY.PEEK[]). */
  async function imapMessage(folder: string, subject: string): Promise<{ uid: number; octets: Buffer }> {
    expect((await imap.command(`SELECT ${folder}`)).status).toBe('OK [READ-WRITE] SELECT completed');
    const found = await imap.command(`UID SEARCH SUBJECT "${subject}"`);
    const uid = Number(/^\* SEARCH (\d+)$/.exec(found.untagged[0]?.text ?? '')?.[1]);
    expect(uid).toBeGreaterThan(0);
    const fetched = await imap.command(`UID FETCH ${uid} (BODY.PEEK[])`);
    const octets = fetched.untagged[0]?.literals[0];
    if (octets === undefined) throw new Error(`no octets for UID ${uid}`);
    return { uid, octets };
  }

  /** Checks the form both paths give an event: mailbox-store's feedbackOf, whatever asked for the move. */
  function expectFeedbackOf(feedback: Feedback | undefined, verdict: 'spam' | 'ham', entry: string, stored: Buffer): void {
    expect(feedback?.event).toEqual({
      version: 1,
      queueId: expect.stringMatching(/^[A-Z0-9]+$/),
      user: bob,
      verdict,
      at: expect.any(String),
      content: { kind: 'inline', base64: stored.toString('base64') },
    });
    expect(feedback?.msgId).toBe(`${entry}:${verdict}:${feedback?.event.at}`);
  }

  /** What `mailctl spam train` says of these octets: "already known 1" once the classifier holds the message in that class. */
  async function trainAgain(octets: Buffer, as: 'spam' | 'ham'): Promise<string> {
    const file = join(scratch, `again-${as}.eml`);
    await writeFile(file, octets);
    return (await stack.mailctl('spam', 'train', `--${as}`, file)).stdout;
  }

  beforeAll(async () => {
    stack = await startMailStack({ services: ['mailbox-store', 'spam-filter', 'smtp-ingress', 'imap-server'], env: { IMAP_ALLOW_PLAINTEXT_AUTH: 'true' } });
    bus = await Bus.connect({ url: stack.env['NATS_URL'] ?? '', name: 'junk-training-test', namespace: stack.env['NATS_NAMESPACE'] ?? '', log: silent });
    scratch = await mkdtemp(join(tmpdir(), 'junk-training-'));
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', bob, '--password', 'hungry')).code).toBe(0);
    const subjects = ['pills by mailctl', 'pills by imap', 'copied pills', 'pills after the copy'];
    for (const subject of subjects) await deliver(stack, subject);
    let listing = '';
    await waitFor(
      async () => {
        listing = (await stack.mailctl('message', 'list', bob, '--folder', 'INBOX')).stdout;
        return subjects.every((s) => listing.includes(s));
      },
      { description: 'the four messages in INBOX', timeoutMs: 30_000 },
    );
    ({ client: imap } = await ImapTestClient.open(stack.imapPort as number));
    expect((await imap.command(`LOGIN ${bob} hungry`)).status).toMatch(/^OK /);
  }, 120_000);
  afterAll(async () => {
    imap?.close();
    await bus?.close();
    await stack?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('UID MOVE into Junk publishes the event mailctl message move publishes, and the filter learns the message as spam (missed spam)', async () => {
    const before = await spamStats();
    const byMailctl = await entryUid('INBOX', 'pills by mailctl');
    expect((await stack.mailctl('message', 'move', bob, byMailctl, 'Junk')).stdout).toBe(`message ${byMailctl} moved from INBOX to Junk (learned as spam)\n`);
    const { uid, octets } = await imapMessage('INBOX', 'pills by imap');
    const moved = await imap.command(`UID MOVE ${uid} Junk`);
    expect(moved.status).toBe('OK MOVE completed');
    expect(moved.untagged.map((line) => line.text)).toEqual([expect.stringMatching(new RegExp(`^\\* OK \\[COPYUID \\d+ ${uid} \\d+\\] Moved$`)), expect.stringMatching(/^\* \d+ EXPUNGE$/)]);

    const [cli, fromImap] = await feedbackCount(2);
    expectFeedbackOf(cli, 'spam', byMailctl, (await imapMessage('Junk', 'pills by mailctl')).octets);
    expectFeedbackOf(fromImap, 'spam', await entryUid('Junk', 'pills by imap'), octets);

    // Both learned as spam by the filter, each once
    await waitFor(async () => (await spamStats()).spamMessages === before.spamMessages + 2, { description: 'two more spam messages learned' });
    const after = await spamStats();
    expect(after.hamMessages).toBe(before.hamMessages);
    expect(after.spamTokens).toBeGreaterThan(before.spamTokens);
    expect(await trainAgain(octets, 'spam')).toMatch(/^learned 0, relearned 0, already known 1, /);
    expect((await stack.mailctl('spam', 'stats', '--days', '1')).stdout).toContain("users' moves, last 1 days (UTC): 0 out of Junk (false positives), 2 into Junk (missed spam)");
  });

  it('UID MOVE out of Junk to INBOX is learned as ham, a false positive, as mailctl message move out of Junk is', async () => {
    const before = await spamStats();
    const byMailctl = await entryUid('Junk', 'pills by mailctl');
    expect((await stack.mailctl('message', 'move', bob, byMailctl, 'INBOX')).stdout).toBe(`message ${byMailctl} moved from Junk to INBOX (learned as ham)\n`);
    const { uid, octets } = await imapMessage('Junk', 'pills by imap');
    expect((await imap.command(`UID MOVE ${uid} INBOX`)).status).toBe('OK MOVE completed');

    const [cli, fromImap] = (await feedbackCount(4)).slice(2);
    expectFeedbackOf(cli, 'ham', byMailctl, (await imapMessage('INBOX', 'pills by mailctl')).octets);
    expectFeedbackOf(fromImap, 'ham', await entryUid('INBOX', 'pills by imap'), octets);

    // Learned as the other class: each message moves from the spam counts to the ham counts
    await waitFor(async () => (await spamStats()).hamMessages === before.hamMessages + 2, { description: 'two messages relearned as ham' });
    expect((await spamStats()).spamMessages).toBe(before.spamMessages - 2);
    expect(await trainAgain(octets, 'ham')).toMatch(/^learned 0, relearned 0, already known 1, /);
    expect((await stack.mailctl('spam', 'stats', '--days', '1')).stdout).toContain("users' moves, last 1 days (UTC): 2 out of Junk (false positives), 2 into Junk (missed spam)");
  });

  it('UID COPY into Junk trains nothing: the original stays in INBOX, so the user has said nothing about it (a move is the verdict; MOVE is advertised, RFC 6851)', async () => {
    const before = await spamStats();
    const { uid } = await imapMessage('INBOX', 'copied pills');
    const copied = await imap.command(`UID COPY ${uid} Junk`);
    expect(copied.status).toMatch(new RegExp(`^OK \\[COPYUID \\d+ ${uid} \\d+\\] COPY completed$`));
    // A move after the copy: its event is published after the copy committed, so once it is there the copy's would be too
    const next = await imapMessage('INBOX', 'pills after the copy');
    expect((await imap.command(`UID MOVE ${next.uid} Junk`)).status).toBe('OK MOVE completed');
    const events = await feedbackCount(5);
    expectFeedbackOf(events[4], 'spam', await entryUid('Junk', 'pills after the copy'), next.octets);
    await waitFor(async () => (await spamStats()).spamMessages === before.spamMessages + 1, { description: 'the moved message learned' });
    expect((await spamStats()).spamMessages).toBe(before.spamMessages + 1);
    // The copy is in Junk and the original still in INBOX
    expect((await stack.mailctl('message', 'list', bob, '--folder', 'Junk')).stdout).toMatch(/copied pills$/m);
    expect((await stack.mailctl('message', 'list', bob, '--folder', 'INBOX')).stdout).toMatch(/copied pills$/m);
    expect((await stack.mailctl('spam', 'stats', '--days', '1')).stdout).toContain('2 out of Junk (false positives), 3 into Junk (missed spam)');
  });
});
