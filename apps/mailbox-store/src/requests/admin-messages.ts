/**
 * Admin operations on a user's messages: message.list, and message.move
 * between INBOX and Junk. A move into Junk tells spam-filter the message is
 * spam, a move out of Junk that it is ham (event feedback.classified).
 */
import { QueueId, SPAM_TRAIN_MAX_OCTETS, type AdminRequest, type AdminResponse, type FeedbackClassified } from '@mail/contracts';
import { findUser } from '../accounts/users';
import { parseAccountAddress } from '../accounts/account-address';
import { AccountError } from '../accounts/account-error';
import type { Pool } from '../database/pool';
import { silentNotifier, type ChangeNotifier } from '../mailbox/change-notices';
import { Folders } from '../mailbox/folders';
import { moveEntry, summarizeEntries, type MovedEntry } from '../mailbox/folder-move';

export type MessageRequest = Extract<AdminRequest, { op: `message.${string}` }>;

/** Publishes a feedback event with a JetStream msgId. */
export type PublishFeedback = (payload: FeedbackClassified, msgId: string) => Promise<unknown>;

function accountOf(input: string) {
  const account = parseAccountAddress(input);
  if (!account) throw new AccountError('invalid-address', `${input} is not a valid mailbox address (local@domain)`);
  return account;
}

/**
 * The feedback event of a move: the stored message as the user sees it,
 * inline, cut at SPAM_TRAIN_MAX_OCTETS (the classifier reads no further).
 * msgId `<entry uid>:<verdict>:<at>` (the schema's form): a retried publish
 * dedupes, a later move back and forth does not.
 */
export function feedbackOf(user: string, entry: MovedEntry, at: Date): { payload: FeedbackClassified; msgId: string } {
  const verdict = entry.to === Folders.junk ? 'spam' : 'ham';
  const queueId = QueueId.safeParse(entry.messageId).success ? { queueId: entry.messageId } : {};
  const payload: FeedbackClassified = {
    version: 1,
    ...queueId,
    user,
    verdict,
    at: at.toISOString(),
    content: { kind: 'inline', base64: entry.head.subarray(0, SPAM_TRAIN_MAX_OCTETS).toString('base64') },
  };
  return { payload, msgId: `${entry.uid}:${verdict}:${payload.at}` };
}

export async function administerMessage(pool: Pool, publish: PublishFeedback, request: MessageRequest, notify: ChangeNotifier = silentNotifier): Promise<AdminResponse> {
  const account = accountOf(request.address);
  switch (request.op) {
    case 'message.list': {
      if (!(await findUser(pool, account.address))) throw new AccountError('unknown-user', `user ${account.address} does not exist`);
      const entries = await summarizeEntries(pool, account.address, request.folder);
      const rows = entries.map((e) => ({ uid: e.uid, folder: e.folder, size: String(e.size), received: e.receivedAt.toISOString(), from: e.from ?? '', subject: e.subject ?? '' }));
      return { ok: true, message: `${entries.length} message(s)`, rows };
    }
    case 'message.move': {
      const outcome = await moveEntry(pool, account.address, request.uid, request.folder, SPAM_TRAIN_MAX_OCTETS, async (entry) => {
        // An empty stored message has nothing to learn from (and base64 must not be empty).
        if (entry.head.length === 0) return;
        const { payload, msgId } = feedbackOf(account.address, entry, new Date());
        await publish(payload, msgId);
      });
      switch (outcome.kind) {
        case 'unknown-user':
          throw new AccountError('unknown-user', `user ${account.address} does not exist`);
        case 'unknown-message':
          throw new AccountError('unknown-message', `no message ${request.uid} in the mailbox of ${account.address}`);
        case 'unchanged':
          return { ok: true, message: `message ${request.uid} is already in ${outcome.folder}` };
        case 'moved':
          notify(outcome.notices);
          return { ok: true, message: `message ${request.uid} moved from ${outcome.entry.from} to ${outcome.entry.to} (learned as ${outcome.entry.to === Folders.junk ? 'spam' : 'ham'})` };
      }
    }
  }
}
