/**
 * The messages a `mailctl spam train` path holds: one message per file, an
 * mbox file (RFC 4155: messages begin with a "From " line; mboxrd quoting
 * `>From ` is undone), or a directory tree of either (maildir's cur/ and
 * new/ included; names starting with "." skipped). Messages over the
 * training limit are cut at a line break below it, with their full size.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SPAM_TRAIN_MAX_OCTETS } from '@mail/contracts';

export interface MessageFile {
  /** Where it came from: the path, and `#n` for the n-th message of an mbox. */
  readonly source: string;
  readonly raw: Buffer;
  /** The full size when `raw` holds only its start. */
  readonly truncatedFrom?: number;
}

/** RFC 4155: a file whose first line is a "From " separator line is an mbox. */
export function isMbox(content: Buffer): boolean {
  return content.subarray(0, 5).toString('latin1') === 'From ';
}

/** Splits an mbox into messages: separator lines dropped, `>From ` unquoted (mboxrd). */
export function splitMbox(content: Buffer): Buffer[] {
  const text = content.toString('latin1');
  const parts = text.split(/^From [^\n]*\n/m).slice(1);
  return parts
    .map((part) => part.replace(/^>(>*From )/gm, '$1').replace(/(\r?\n)\r?\n$/, '$1')) // the blank line before "From " belongs to the mbox
    .filter((part) => part.trim() !== '')
    .map((part) => Buffer.from(part, 'latin1'));
}

/** The start of a message that fits the training limit, cut after a line break. */
export function fitForTraining(raw: Buffer, limit = SPAM_TRAIN_MAX_OCTETS): { raw: Buffer; truncatedFrom?: number } {
  if (raw.length <= limit) return { raw };
  const cut = raw.lastIndexOf(0x0a, limit - 1);
  return { raw: raw.subarray(0, cut > 0 ? cut + 1 : limit), truncatedFrom: raw.length };
}

async function* filesUnder(path: string): AsyncGenerator<string> {
  const info = await stat(path);
  if (info.isFile()) {
    yield path;
    return;
  }
  if (!info.isDirectory()) return;
  const entries = (await readdir(path)).filter((name) => !name.startsWith('.')).sort();
  for (const name of entries) yield* filesUnder(join(path, name));
}

/** Every message under the paths, in order. @throws when a path does not exist. */
export async function* messageFiles(paths: readonly string[]): AsyncGenerator<MessageFile> {
  for (const path of paths) {
    for await (const file of filesUnder(path)) {
      const content = await readFile(file);
      const messages = isMbox(content) ? splitMbox(content) : [content];
      for (const [i, message] of messages.entries()) {
        const fitted = fitForTraining(message);
        yield { source: messages.length > 1 || isMbox(content) ? `${file}#${i + 1}` : file, ...fitted };
      }
    }
  }
}
